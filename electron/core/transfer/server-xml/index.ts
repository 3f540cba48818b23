/** z/OS Connect server.xml export and import (seeds 000, 001, 002) with fast-xml-parser. */
export { exportServerXml, type ServerXmlExport, type ServerXmlExportOptions } from './export.js';
export { importServerXml, type ServerXmlImport } from './import.js';

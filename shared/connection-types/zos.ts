/**
 * What a z/OS Connect server.xml said about a connection that has no other place in it (seeds
 * 000–002): the ids of the elements it was imported from, so that a re-export writes the same ids;
 * and which element carried each timeout and `sslCertsRef`, with the file's own text, so that a
 * re-export writes them where they were and nowhere else. Empty for a connection made in
 * Tokensmith. Pure TypeScript.
 */
import * as z from 'zod';

/** The server.xml elements of one connection, by the role they play. */
export const ZOS_ELEMENTS = [
  'endpointConnection',
  'oAuthConfig',
  'authorizationServer',
  'authData',
  'oAuthTokenConfig',
  'authToken',
  'authTokenServer',
  'authTokenUser',
  'apiRequester',
] as const;
export type ZosElement = (typeof ZOS_ELEMENTS)[number];

/** The elements that carry network attributes: the API's endpoint and the two token servers. */
export const ZOS_NETWORK_ELEMENTS = [
  'endpointConnection',
  'authorizationServer',
  'authTokenServer',
] as const;
export type ZosNetworkElement = (typeof ZOS_NETWORK_ELEMENTS)[number];

export const ZOS_NETWORK_ATTRIBUTES = [
  'connectionTimeout',
  'receiveTimeout',
  'sslCertsRef',
] as const;
export type ZosNetworkAttribute = (typeof ZOS_NETWORK_ATTRIBUTES)[number];

const attributeText = z
  .string()
  .trim()
  .max(200)
  // eslint-disable-next-line no-control-regex -- an attribute value never holds control characters
  .regex(/^[^\u0000-\u001f\u007f]*$/, 'A single line without control characters');

const networkAttributes = z.object({
  connectionTimeout: attributeText.optional(),
  receiveTimeout: attributeText.optional(),
  sslCertsRef: attributeText.optional(),
});
export type ZosNetworkAttributes = z.infer<typeof networkAttributes>;

export const zosSettings = z.object({
  /** Element ids of the imported file; empty: the export makes one from the connection's name. */
  ids: z
    .object(
      Object.fromEntries(ZOS_ELEMENTS.map((e) => [e, attributeText.default('')])) as Record<
        ZosElement,
        z.ZodDefault<typeof attributeText>
      >,
    )
    .prefault({}),
  /**
   * The timeouts and `sslCertsRef` each element of the imported file set (Liberty's text).
   * Absent for a connection made in Tokensmith: the export then writes the connection's own.
   */
  network: z
    .object({
      endpointConnection: networkAttributes.optional(),
      authorizationServer: networkAttributes.optional(),
      authTokenServer: networkAttributes.optional(),
    })
    .optional(),
});
export type ZosSettings = z.infer<typeof zosSettings>;

/** Whether a connection was imported from a z/OS Connect server.xml (it kept element ids). */
export const fromServerXml = (conn: { zos: { ids: Partial<Record<ZosElement, string>> } }) =>
  Object.values(conn.zos.ids).some(Boolean);

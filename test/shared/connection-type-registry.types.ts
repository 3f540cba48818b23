/**
 * Type-level tests, checked by `npm run typecheck`: a registry that lacks a connection type, or a
 * descriptor or grant that lacks a part, does not compile. Each `@ts-expect-error` fails the
 * type-check if the error it expects ever disappears.
 */
import { DESCRIPTORS, type DescriptorRegistry } from '../../shared/connection-types/index.js';
import { GRANTS, type GrantRegistry } from '../../electron/core/grants/registry.js';

const { password: _password, ...withoutPassword } = DESCRIPTORS;
// @ts-expect-error -- the registry lacks the password type's descriptor.
export const missingDescriptor: DescriptorRegistry = withoutPassword;

const { cacheInputs: _cacheInputs, ...withoutCacheInputs } = DESCRIPTORS.password;
const lacksCacheInputs = { ...DESCRIPTORS, password: withoutCacheInputs };
// @ts-expect-error -- the password descriptor lacks cacheInputs.
export const missingDescriptorPart: DescriptorRegistry = lacksCacheInputs;

const { exports: _exports, ...withoutExports } = DESCRIPTORS.client_credentials;
const lacksExports = { ...DESCRIPTORS, client_credentials: withoutExports };
// @ts-expect-error -- the client credentials descriptor lacks its export mapping.
export const missingExports: DescriptorRegistry = lacksExports;

const { jwt_bearer: _jwtBearer, ...withoutJwtBearer } = GRANTS;
// @ts-expect-error -- the grant registry lacks the JWT bearer grant.
export const missingGrant: GrantRegistry = withoutJwtBearer;

const { exportInput: _exportInput, ...withoutExportInput } = GRANTS.password;
// @ts-expect-error -- the password grant lacks exportInput.
export const missingGrantPart: GrantRegistry = { ...GRANTS, password: withoutExportInput };

// The complete registries compile.
export const complete: [DescriptorRegistry, GrantRegistry] = [DESCRIPTORS, GRANTS];

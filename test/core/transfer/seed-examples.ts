/**
 * The server.xml examples of the z/OS Connect seeds (000, 001, 002), completed where they refer
 * to elements the documentation does not show (servers, users), and a JWT alone on an endpoint.
 */

/** Seed 000 ("Calling an API secured with OAuth 2.0 and a JWT"), its servers and users added. */
export const SEED_000 = `<server>
    <zosconnect_authToken id="myJWTConfig" authServerRef="myJWTserver" header="JWT-header-name">
        <tokenRequest credentialLocation="header" header="JWTReqAuthorization" requestMethod="GET"/>
        <tokenResponse tokenLocation="header" header="JWTResAuthorization"/>
    </zosconnect_authToken>
    <zosconnect_oAuthConfig id="myoAuthConfig" grantType="password" authServerRef="myAuthServer"/>
    <zosconnect_endpointConnection id="conn" host="https://api.server.com" port="8000"
        authenticationConfigRef="myoAuthConfig,myJWTConfig"/>
    <zosconnect_authorizationServer id="myJWTserver" tokenEndpoint="https://jwt.example.com:8443/token"
        basicAuthRef="jwtUser" connectionTimeout="5s"/>
    <zosconnect_authData id="jwtUser" user="fred" password="{xor}Lz4sLCgwLTs="/>
    <zosconnect_authorizationServer id="myAuthServer" tokenEndpoint="https://auth.example.com/oauth2/token"
        basicAuthRef="oauthClient" sslCertsRef="authSSL"/>
    <zosconnect_authData id="oauthClient" user="zosClient" password="{xor}PDM2OjErLDo8LTor"/>
</server>`;

/** Seed 001's attributes (client credentials, body authentication, token path, retry, resource). */
export const SEED_001 = `<server>
    <zosconnect_endpointConnection id="payments" host="https://payments.example.com" port="9443"
        authenticationConfigRef="paymentsOAuth" connectionTimeout="30s" receiveTimeout="1m30s"/>
    <zosconnect_oAuthConfig id="paymentsOAuth" grantType="client_credentials" authServerRef="paymentsAS"
        clientSecretInBody="true" tokenPath="$.id_token" tokenRetryCheckLevel="1"/>
    <zosconnect_authorizationServer id="paymentsAS" tokenEndpoint="https://as.example.com/token"
        basicAuthRef="paymentsClient" connectionTimeout="10s" receiveTimeout="20000"/>
    <zosconnect_authData id="paymentsClient" user="pay-client" password="{xor}Lz4mMjoxKyw6PC06Kw=="/>
    <zosconnect_apiRequesters>
        <apiRequester name="payments_1.0.0" connectionRef="payments" oAuthResource="https://payments.example.com/api"/>
    </zosconnect_apiRequesters>
</server>`;

/** Seed 002 ("How to configure OAuth 2.0 with JWT authentication"), its cut examples completed. */
export const SEED_002 = `<server>
    <featureManager><feature>zosconnect:zosconnect-2.0</feature></featureManager>
    <jwtBuilder id="myJWTAuthBuilder" issuer="https://zos.example.com:9443/jwt/myJWTAuthBuilder"
        audiences="https://auth.example.com/oauth2/token" expiresInSeconds="10m" jti="true" jwkEnabled="true"/>
    <zosconnect_oAuthTokenConfig id="myJWTAuthConfig" tokenSubject="myClientId" tokenGeneratorRef="myJWTAuthBuilder">
        <claims><![CDATA[{"team":"R&D <core>","roles":["reader"]}]]></claims>
    </zosconnect_oAuthTokenConfig>
    <zosconnect_authorizationServer id="myAuthServer" tokenEndpoint="https://auth.example.com/oauth2/token"
        sslCertsRef="defaultSSLConfig"/>
    <zosconnect_oAuthConfig id="myoAuthConfig" grantType="client_credentials" jwtAuthenticationTokenRef="myJWTAuthConfig"
        jwtAuthenticationSetClientId="true" authServerRef="myAuthServer"/>
    <zosconnect_endpointConnection id="conn" host="https://api.server.com" port="443" authenticationConfigRef="myoAuthConfig"/>
</server>`;

/** Seed 002 with your own key pair (keyStoreRef, keyAlias) and Liberty's other duration forms. */
export const SEED_002_KEYSTORE = `<server>
    <keyStore id="jwtKeys" location="jwt.p12" password="{xor}NDomLz4sLA=="/>
    <jwtBuilder id="ownKeyBuilder" issuer="my-client" audiences="https://as.example.com/token"
        expiresInSeconds="-1" expiry="1h" jti="false" keyStoreRef="jwtKeys" keyAlias="signer" signatureAlgorithm="RS384"/>
    <zosconnect_oAuthTokenConfig id="ownKeyConfig" tokenSubject="my-client" tokenGeneratorRef="ownKeyBuilder"/>
    <zosconnect_authorizationServer id="as" tokenEndpoint="https://as.example.com/token" receiveTimeout="45s"/>
    <zosconnect_oAuthConfig id="ownKeyOAuth" grantType="password" jwtAuthenticationTokenRef="ownKeyConfig" authServerRef="as"/>
    <zosconnect_endpointConnection id="ownKey" host="http://api.example.com" port="8080" authenticationConfigRef="ownKeyOAuth"/>
</server>`;

/** A JWT alone on an endpoint (API Gateway's JWT as z/OS sees it): a JWT connection. */
export const AUTH_TOKEN_ALONE = `<server>
    <zosconnect_endpointConnection id="gateway" host="https://gw.example.com" port="5543" authenticationConfigRef="gwJwt"/>
    <zosconnect_authToken id="gwJwt" authServerRef="gwIssuer">
        <tokenRequest credentialLocation="header" header="Authorization" requestMethod="GET"/>
        <tokenResponse tokenLocation="body" responseFormat="JSON" tokenPath="$.jwt"/>
    </zosconnect_authToken>
    <zosconnect_authorizationServer id="gwIssuer" tokenEndpoint="https://gw.example.com:5543/rest/pub/apigateway/jwt/getJsonWebToken" basicAuthRef="gwUser"/>
    <zosconnect_authData id="gwUser" user="alice" password="{xor}KDAxOzotMz4xOw=="/>
</server>`;

/**
 * Seed 002 as printed: its steps' elements with only the attributes the text shows. The builder
 * example shows `jwkEnabled="true"` and no `audiences` (z/OS then sends no `aud`), and step 5's
 * endpoint refers to `myOAuthConfig` where step 4 defines `myoAuthConfig` (the seed's own typo).
 */
export const SEED_002_AS_PRINTED = `<server>
    <jwtBuilder id="myJWTAuthBuilder"
        jwkEnabled="true" />
    <zosconnect_oAuthTokenConfig id="myJWTAuthConfig" tokenSubject="myClientId" tokenGeneratorRef="myJWTAuthBuilder">
        <claims><![CDATA[{"team":"core"}]]></claims>
    </zosconnect_oAuthTokenConfig>
    <zosconnect_authorizationServer id="myAuthServer" tokenEndpoint="https://auth.example.com/oauth2/token"
       sslCertsRef="defaultSSLConfig" />
    <zosconnect_oAuthConfig id="myoAuthConfig" grantType="client_credentials"
        jwtAuthenticationTokenRef="myJWTAuthConfig" jwtAuthenticationSetClientId="true" authServerRef="myAuthServer"/>
    <zosconnect_endpointConnection id="conn"
        authenticationConfigRef="myOAuthConfig" />
</server>`;

/**
 * Sign-in with OpenID Connect providers, tokens for downstream APIs, and bearer-token APIs, on the
 * Nimbus OAuth 2.0 SDK: no JWT, JOSE or OAuth message is written by hand here.
 */
package dev.gatehouse.oidc;

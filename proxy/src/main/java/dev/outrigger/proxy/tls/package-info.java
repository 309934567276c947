/** TLS contexts from the config records, BoringSSL first, shared by all connections of a chain or cluster. */
package dev.outrigger.proxy.tls;

package dev.gatehouse.lifecycle;

/** Ways to damage a token, for tampering tests. */
final class Tokens {

    private Tokens() {
    }

    /** {@code token} with one character of its payload changed. */
    static String tampered(String token) {
        int at = token.indexOf('.', token.indexOf('.', token.indexOf('.') + 1) + 1) + 2;
        char c = token.charAt(at);
        return token.substring(0, at) + (c == 'A' ? 'B' : 'A') + token.substring(at + 1);
    }

    /** {@code token} with the last character of its signature changed. */
    static String badSignature(String token) {
        char c = token.charAt(token.length() - 1);
        return token.substring(0, token.length() - 1) + (c == 'A' ? 'B' : 'A');
    }
}

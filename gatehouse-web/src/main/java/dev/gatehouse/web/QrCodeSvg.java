package dev.gatehouse.web;

import io.nayuki.qrcodegen.QrCode;

/**
 * The QR code of an authenticator app's {@code otpauth://} URI as inline SVG, drawn here by
 * Nayuki's qrcodegen: no image service learns the secret, and an inline {@code <svg>} element needs
 * nothing from the pages' Content-Security-Policy (no {@code data:} or external image). Thread-safe.
 */
final class QrCodeSvg {

    /** Light modules around the code, as the QR specification asks for. */
    private static final int QUIET_ZONE = 4;

    private QrCodeSvg() {
    }

    /**
     * {@code text} as an SVG element that scales with its box; one path of dark modules on a white
     * rectangle, with {@code label} as its accessible name. The text must be shorter than the
     * ~2 kB a QR code holds (an otpauth URI is ~150 bytes).
     */
    static String svg(String text, String label) {
        QrCode qr = QrCode.encodeText(text, QrCode.Ecc.MEDIUM);
        int size = qr.size + 2 * QUIET_ZONE;
        StringBuilder path = new StringBuilder();
        for (int y = 0; y < qr.size; y++) {
            for (int x = 0; x < qr.size; x++) {
                if (qr.getModule(x, y)) {
                    path.append('M').append(x + QUIET_ZONE).append(',').append(y + QUIET_ZONE).append("h1v1h-1z");
                }
            }
        }
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"gh-qrcode\" role=\"img\" aria-label=\"" + escape(label)
                + "\" viewBox=\"0 0 " + size + " " + size + "\" width=\"240\" height=\"240\" shape-rendering=\"crispEdges\">"
                + "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/><path d=\"" + path + "\" fill=\"#000000\"/></svg>";
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}

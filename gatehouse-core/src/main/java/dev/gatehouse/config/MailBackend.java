package dev.gatehouse.config;

/** Values of {@code mail-backend}: how the web layer delivers queued email. */
public enum MailBackend implements Choice {
    /** Over SMTP, as the {@code mail-*} settings say. */
    SMTP,
    /** As files in {@code mail-folder}, for development. */
    FILES,
    /** Not at all: another process does. */
    NONE
}

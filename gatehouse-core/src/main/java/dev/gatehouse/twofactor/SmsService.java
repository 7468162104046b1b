package dev.gatehouse.twofactor;

import dev.gatehouse.config.Choice;

/** Values of {@code sms-service}: which {@link SmsSender} Gatehouse uses unless the builder was given one. */
public enum SmsService implements Choice {
    /** No SMS: the {@code sms} method is unavailable ({@link SmsSender#NONE}). */
    NONE,
    /** Development: each message is written as a text file into {@code mail-folder}, never sent. */
    FILES
}

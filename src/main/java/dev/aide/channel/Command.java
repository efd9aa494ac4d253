package dev.aide.channel;

/** A command as the person sent it, e.g. "/timezone Europe/Paris": its name in lower case and the rest of the line. */
public record Command(String name, String argument) {}

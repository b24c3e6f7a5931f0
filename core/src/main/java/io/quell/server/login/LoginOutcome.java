package io.quell.server.login;

/** The outcome of one login attempt, over the Avatica endpoint or the web console alike. */
public enum LoginOutcome { ACCEPTED, WRONG_PASSWORD, LOGIN_NOT_PERMITTED }

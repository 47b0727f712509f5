package dev.meshless.whatif;

/**
 * The topology file or the command line is wrong: the tool prints the message as one
 * {@code error:} line and exits with {@link WhatIf#EXIT_BAD_INPUT}. The message names the field
 * path and the offending value.
 */
final class InputException extends Exception {

    private static final long serialVersionUID = 1L;

    InputException(String message) {
        super(message);
    }
}

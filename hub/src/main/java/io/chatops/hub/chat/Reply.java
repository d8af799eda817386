package io.chatops.hub.chat;

import java.util.List;

/**
 * What the engine answers, whatever the front end: text with {@code ```} code blocks for output and
 * tables, and buttons where the platform has them. A reply of a job is replaced as servers finish.
 *
 * @param text       the answer, first line naming who asked
 * @param buttons    actions offered with it (approve, deny, acknowledge…), each a command line to run
 * @param jobId      the fan-out job it reports, or null
 * @param approvalId the request waiting for approval it announces, or null
 * @param privately  for the asker's eyes only (a one-time link), where the platform can do that
 * @param partial    a job's answer while servers are still running; a later version follows
 */
record Reply(String text, List<Button> buttons, String jobId, String approvalId, boolean privately, boolean partial) {
    Reply(String text, List<Button> buttons, String jobId, String approvalId) {
        this(text, buttons, jobId, approvalId, false, false);
    }

    /** A button: its label, and the command line it runs for whoever presses it. */
    record Button(String label, String command, boolean danger) {
    }

    static Reply text(String text) {
        return new Reply(text, List.of(), null, null);
    }
}

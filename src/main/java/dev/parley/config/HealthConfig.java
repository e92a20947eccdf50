package dev.parley.config;

/**
 * The health monitor's thresholds; {@code reference.conf} explains each and {@code docs/health.md} says how the
 * defaults were chosen. Words and phrases are judged new against the last {@code window} messages, and the
 * "nothing new" rule counts over the last {@code window} seat messages.
 *
 * @param minNewWords a seat message is empty when it brings fewer content words than this (or than it holds)
 *                    that the window has not seen
 * @param emptyMessages this many empty messages among the last {@code window} fire the "nothing new" rule
 * @param similarity how alike two messages must be (0..1, on their words and word pairs) to count as the same
 * @param repeats this many nearly identical messages in a row fire the "echo" and "repeat" rules
 * @param templateMinWords messages at least this long are watched by the "template" rule
 * @param templateMessages the "template" rule averages over this many of the latest long messages
 * @param templateSameness the average share (0..1) of those messages already said that fires the "template" rule
 * @param staleMessages this many long messages in a row (at least {@code templateMinWords} words), each bringing
 *                      less than {@code staleShare} of its content words new, fire the "stale" rule
 * @param staleShare the share (0..1) of new content words below which a long message is stale
 * @param raptureMessages the "rapture" rule averages over this many of the latest long messages
 * @param raptureShare the average share (0..1) of words of praise, affection and rapture in those messages that
 *                     fires the "rapture" rule
 * @param formulaMessages this many seat messages in a row, from two seats or more, each opening with the same two
 *                        words as the one before, fire the "formula" rule if they also restate each other
 * @param formulaRestated the average share (0..1) of each such message's three-word phrases taken from the message
 *                        before it that fires the "formula" rule
 */
public record HealthConfig(
        boolean enabled,
        Action action,
        int window,
        int minNewWords,
        int emptyMessages,
        double similarity,
        int repeats,
        int templateMinWords,
        int templateMessages,
        double templateSameness,
        int staleMessages,
        double staleShare,
        int raptureMessages,
        double raptureShare,
        int formulaMessages,
        double formulaRestated) {
    public enum Action { STOP, PAUSE, NOTICE }
}

package dev.parley.conversation;

/**
 * Prints what the health monitor measures on each message of corpus logs, a tool for choosing thresholds: file,
 * index, speaker, human, words, content words, new content words, share of phrases borrowed from the window,
 * resemblance to the message before, to the speaker's own last message, to the message two before, a quote, and
 * the share of words of rapture, whether it opens with the same two words of prose as the message before, and the
 * share of its phrases the message before had too (what the "formula" rule reads). Arguments: the window, and
 * optionally a regular expression on file names.
 */
public final class HealthFeatureDump {
    public static void main(String[] args) {
        int window = Integer.parseInt(args[0]);
        for (HealthCorpus.Log log : HealthCorpus.load().logs()) {
            if (args.length > 1 && !log.file().matches(args[1])) {
                continue;
            }
            RecentTalk talk = new RecentTalk(window);
            java.util.Map<String, Utterance> lastBy = new java.util.HashMap<>();
            Utterance prev2 = null;
            int i = 0;
            for (var m : log.messages()) {
                Utterance u = Utterance.of(m.speaker().name(), m.speaker().isHuman(), m.text());
                Utterance prev = talk.last();
                Utterance same = lastBy.get(u.speaker);
                RecentTalk.Measure brought = talk.add(u);
                System.out.printf("%s\t%d\t%s\t%b\t%d\t%d\t%d\t%.3f\t%.3f\t%.3f\t%.3f\t%s\t%.4f\t%b\t%.3f%n",
                        log.file(), i++, u.speaker, u.human, u.wordCount, u.content.size(), brought.newWords(),
                        brought.borrowed(),
                        prev == null ? 0 : Utterance.resemblance(u, prev),
                        same == null ? 0 : Utterance.resemblance(u, same),
                        prev2 == null ? 0 : Utterance.resemblance(u, prev2), u.quote(60).replace('\t', ' '),
                        u.wordCount == 0 ? 0 : (double) u.raptureWords / u.wordCount,
                        prev != null && u.opener != 0 && u.opener == prev.opener, prev == null ? 0 : u.restates(prev));
                prev2 = prev;
                lastBy.put(u.speaker, u);
            }
        }
    }
}

package dev.parley.corpus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.archive.Transcript;
import dev.parley.archive.TranscriptParser;
import dev.parley.archive.TranscriptWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Turns a public AI-to-AI log into parley's Markdown transcript, for the health monitor's corpus
 * ({@code src/test/resources/health-corpus}). Run by hand when the corpus grows; the corpus keeps its output, and
 * {@code SOURCES} says where each log came from.
 *
 * <p>Reads the JSON conversations of Manas-Kandi/LLM-Conversational-Analysis ({@code messages[].role} and
 * {@code .content}, the agents' models under {@code agents}). Each agent becomes a seat named after its model; a
 * tool's output ({@code agent_system}) is said by "Sandbox", which is not in the title and so replays as a human.
 *
 * <pre>java -cp target/classes:target/test-classes:DEPS dev.parley.corpus.CorpusConverter IN.json OUT.md</pre>
 */
public final class CorpusConverter {
    private static final ObjectMapper JSON = new ObjectMapper();

    private CorpusConverter() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: CorpusConverter IN.json OUT.md");
            System.exit(2);
        }
        Transcript t = fromAgentsJson(JSON.readTree(Files.readAllBytes(Path.of(args[0]))));
        byte[] md = TranscriptWriter.renderBytes(t);
        // The corpus is only worth something if parley reads back exactly the messages the log had.
        if (!TranscriptParser.parse(md).equals(t)) {
            throw new IllegalStateException(args[0] + ": the transcript does not read back as written");
        }
        Files.write(Path.of(args[1]), md);
    }

    static Transcript fromAgentsJson(JsonNode log) {
        String a = seatName(log.path("agents").path("agent_a").path("model").asText("agent_a"));
        String b = seatName(log.path("agents").path("agent_b").path("model").asText("agent_b"));
        if (a.equals(b)) {
            a = a + " A";
            b = b + " B";
        }
        List<Transcript.Entry> messages = new ArrayList<>();
        Set<String> seats = new LinkedHashSet<>();
        for (JsonNode m : log.path("messages")) {
            String role = m.path("role").asText();
            String speaker = switch (role) {
                case "agent_a" -> a;
                case "agent_b" -> b;
                default -> "Sandbox";
            };
            if (!speaker.equals("Sandbox")) {
                seats.add(speaker);
            }
            messages.add(new Transcript.Entry(speaker, m.path("content").asText("")));
        }
        LocalDateTime started = time(log.path("metadata").path("start_time").asText(null));
        LocalDateTime ended = time(log.path("metadata").path("end_time").asText(null));
        return new Transcript(List.copyOf(seats), started, ended == null ? started : ended, messages);
    }

    /** "nvidia:meta/llama-3.1-70b-instruct" → "Llama 3.1 70B": short, and says which model spoke. */
    static String seatName(String model) {
        String name = model.substring(model.lastIndexOf('/') + 1).replace("-instruct", "");
        StringBuilder out = new StringBuilder();
        for (String part : name.split("-")) {
            if (part.isEmpty()) {
                continue;
            }
            if (out.length() > 0) {
                out.append(' ');
            }
            out.append(part.matches("[0-9.]+[bm]") ? part.toUpperCase(Locale.ROOT)
                    : Character.toUpperCase(part.charAt(0)) + part.substring(1));
        }
        return out.toString();
    }

    private static LocalDateTime time(String iso) {
        return iso == null ? LocalDateTime.of(2025, 1, 1, 0, 0) : LocalDateTime.parse(iso);
    }
}

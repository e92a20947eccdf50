package dev.parley.conversation;

import dev.parley.command.Control;
import java.time.Duration;
import java.util.Optional;

/** A minimal command reader for engine tests, so they test the engine and not the command parser. */
final class TestCommands {
    private TestCommands() { }

    static Optional<String> handle(String sender, boolean operator, String line, Control c) {
        if (!line.startsWith("!")) {
            return Optional.empty();
        }
        if (!operator) {
            return Optional.of("refused");
        }
        String[] w = line.substring(1).split(" ", 2);
        String arg = w.length > 1 ? w[1] : "";
        return Optional.of(switch (w[0]) {
            case "pause" -> c.pause(sender);
            case "resume" -> c.resume(sender);
            case "stop" -> c.stop(sender, arg.isEmpty() ? Optional.empty() : Optional.of(arg));
            case "start" -> c.start(sender, arg.isEmpty() ? Optional.empty() : Optional.of(arg));
            case "next" -> c.next(sender, arg);
            case "mute" -> c.mute(sender, arg);
            case "unmute" -> c.unmute(sender, arg);
            case "turns" -> c.turns(sender, Integer.parseInt(arg));
            case "pace" -> c.pace(sender, Duration.ofSeconds(Long.parseLong(arg)), Duration.ofSeconds(Long.parseLong(arg)));
            case "status" -> c.status();
            case "transcript" -> c.transcript(sender);
            case "filter" -> c.filter(sender, arg.isEmpty() ? Optional.empty() : Optional.of(arg.equals("on")));
            default -> "unknown";
        });
    }
}

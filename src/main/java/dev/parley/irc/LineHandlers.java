package dev.parley.irc;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Which part of a connection handles which server command or numeric, declared in one place (as KICL's
 * listeners declare theirs) instead of one switch over every command. Filled before the connection starts, then
 * only read, on the input thread.
 */
final class LineHandlers {
    private final Map<String, List<Consumer<IrcLine>>> byCommand = new HashMap<>();

    /** {@code handler} sees every line with {@code command}, after the handlers added for it before. */
    void on(String command, Consumer<IrcLine> handler) {
        byCommand.computeIfAbsent(command, k -> new ArrayList<>()).add(handler);
    }

    /** {@code handler} sees every line whose command is one of {@code commands}. */
    void on(List<String> commands, Consumer<IrcLine> handler) {
        commands.forEach(c -> on(c, handler));
    }

    void handle(IrcLine line) {
        for (Consumer<IrcLine> h : byCommand.getOrDefault(line.command(), List.of())) {
            h.accept(line);
        }
    }
}

package dev.parley.app;

import dev.parley.config.ConversationConfig;
import dev.parley.config.ParleyConfig;
import dev.parley.config.Providers;
import dev.parley.config.RoomConfig;
import dev.parley.config.SeatConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Loads and initialises classes the daemon is about to need on a second thread, while the main thread reads the
 * config. Loading classes is most of a start-up (the JSON library alone is some 600 classes, a third of a second
 * on this project's machine) and it is single-threaded unless something does it in parallel; the JVM's class
 * initialisation lock makes this safe: whichever thread gets to a class first initialises it, the other waits.
 * A failure here only means the class is loaded later, where it is used, so it is ignored.
 */
final class WarmUp {
    private WarmUp() { }

    /**
     * Loads {@code first}, then what {@code then} names: {@code then} may wait for the config, so that what only
     * some configs use (PircBotX, OkHttp's platform) is loaded only for them.
     */
    static void inBackground(List<String> first, Supplier<List<String>> then) {
        Thread t = new Thread(() -> {
            load(first);
            try {
                load(then.get());
            } catch (RuntimeException noConfig) {
                // The config could not be read: the main thread reports it.
            }
        }, "parley-warm-up");
        t.setDaemon(true);
        t.start();
    }

    /**
     * What a start on {@code config} loads beyond the journal's and the series state's JSON: PircBotX for IRC
     * rooms (compiled for Java 5, too old for the class-data-sharing archive, so loaded and verified at every
     * start); OkHttp's platform for Matrix rooms and HTTP models (its detection instantiates every security
     * provider of the JVM, some 0.1 s, which the first request would otherwise pay on its own thread).
     */
    static List<String> forConfig(ParleyConfig config) {
        boolean irc = false;
        boolean matrix = false;
        boolean http = false;
        for (ConversationConfig c : config.conversations()) {
            for (RoomConfig r : c.rooms()) {
                irc |= r.type().equals(RoomConfig.Irc.TYPE);
                matrix |= r.type().equals(RoomConfig.Matrix.TYPE);
            }
            for (SeatConfig s : c.seats()) {
                http |= Providers.of(s.model().provider()).map(Providers.Provider::overHttp).orElse(true);
            }
        }
        List<String> names = new ArrayList<>();
        if (irc) {
            names.addAll(List.of("org.pircbotx.PircBotX", "dev.parley.irc.IrcConnection"));
        }
        if (http || matrix) {
            names.add("okhttp3.internal.platform.Platform");
        }
        if (matrix) {
            names.add("dev.parley.matrix.MatrixRoom");
        }
        return names;
    }

    private static void load(List<String> classNames) {
        ClassLoader loader = WarmUp.class.getClassLoader();
        for (String name : classNames) {
            try {
                Class.forName(name, true, loader);
            } catch (ClassNotFoundException | LinkageError | RuntimeException ignored) {
                // It will be loaded where it is used, and fail there with a proper error if it must.
            }
        }
    }
}

package dev.parley.app;

import java.util.List;

/**
 * Loads and initialises classes the daemon is about to need on a second thread, while the main thread reads the
 * config. Loading classes is most of a start-up (the JSON library alone is some 600 classes, a third of a second
 * on this project's machine) and it is single-threaded unless something does it in parallel; the JVM's class
 * initialisation lock makes this safe: whichever thread gets to a class first initialises it, the other waits.
 * A failure here only means the class is loaded later, where it is used, so it is ignored.
 */
final class WarmUp {
    private WarmUp() { }

    static void inBackground(List<String> classNames) {
        Thread t = new Thread(() -> {
            ClassLoader loader = WarmUp.class.getClassLoader();
            for (String name : classNames) {
                try {
                    Class.forName(name, true, loader);
                } catch (ClassNotFoundException | LinkageError | RuntimeException ignored) {
                    // It will be loaded where it is used, and fail there with a proper error if it must.
                }
            }
        }, "parley-warm-up");
        t.setDaemon(true);
        t.start();
    }
}

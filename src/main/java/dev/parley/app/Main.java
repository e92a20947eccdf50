package dev.parley.app;

/** {@code java -jar parley.jar ...}: see {@link Cli} for the commands. */
public final class Main {
    private Main() { }

    public static void main(String[] args) {
        LogProvider.bind(); // before anything logs: SLF4J binds at the first logger asked for
        int code = new Cli(System.in, System.out, System.err).run(args);
        System.out.flush();
        System.exit(code);
    }
}

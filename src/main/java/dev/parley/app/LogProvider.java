package dev.parley.app;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.LogbackServiceProvider;
import ch.qos.logback.classic.util.ContextInitializer;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.joran.spi.JoranException;
import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * SLF4J bound to logback the way logback's own provider binds it, but set up by {@link LogSetup} directly: logback's
 * auto-configuration first scans the class path for configurators, checks library versions and reports its own
 * duration, which links invokedynamic call sites (string concatenation, method references); with SLF4J's own scan
 * for providers that cost about 35 ms of the main thread's CPU at every start (docs/benchmark.md). A logback
 * configuration the user gives (LogSetup steps aside) still goes through logback's auto-configuration as before.
 * {@link Main} names this provider for the jar ({@link #bind}); anywhere else (tests, a library use) SLF4J finds
 * logback's.
 */
public final class LogProvider implements SLF4JServiceProvider {
    /** Where SLF4J is told which provider to use, instead of looking for them with a ServiceLoader. */
    private static final String PROPERTY = "slf4j.provider";
    /** SLF4J's own messages; at INFO it says which provider it was told to use, on stderr at every start. */
    private static final String VERBOSITY = "slf4j.internal.verbosity";

    /**
     * Has SLF4J bind this provider, its own messages from WARN up, unless the user named a provider. Call before
     * anything logs: SLF4J binds once, at the first logger asked for.
     */
    static void bind() {
        if (System.getProperty(PROPERTY) == null) {
            System.setProperty(PROPERTY, LogProvider.class.getName());
            if (System.getProperty(VERBOSITY) == null) {
                System.setProperty(VERBOSITY, "WARN");
            }
        }
    }

    private final LoggerContext context = new LoggerContext();
    private final IMarkerFactory markers = new BasicMarkerFactory();
    private final LogbackMDCAdapter mdc = new LogbackMDCAdapter();

    @Override
    public ILoggerFactory getLoggerFactory() {
        return context;
    }

    @Override
    public IMarkerFactory getMarkerFactory() {
        return markers;
    }

    @Override
    public MDCAdapter getMDCAdapter() {
        return mdc;
    }

    @Override
    public String getRequestedApiVersion() {
        return LogbackServiceProvider.REQUESTED_API_VERSION;
    }

    @Override
    public void initialize() {
        context.setName(CoreConstants.DEFAULT_CONTEXT_NAME);
        context.setMDCAdapter(mdc);
        LogSetup setup = new LogSetup();
        setup.setContext(context);
        if (setup.configure(context) == Configurator.ExecutionStatus.INVOKE_NEXT_IF_ANY) {
            try {
                new ContextInitializer(context).autoConfig();
            } catch (JoranException e) {
                System.err.println("parley: the logback configuration could not be read: " + e.getMessage());
            }
        }
        context.start();
    }
}

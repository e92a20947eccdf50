package dev.parley.app;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.core.ConsoleAppender;
import org.junit.jupiter.api.Test;

class LogSetupTest {
    @Test
    void configuresWhatLogbackXmlDid() {
        LoggerContext context = new LoggerContext();
        LogSetup setup = new LogSetup();
        setup.setContext(context);

        assertThat(setup.configure(context)).isEqualTo(Configurator.ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY);

        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        assertThat(root.getLevel()).isEqualTo(Level.toLevel(System.getProperty("parley.log", "WARN"), Level.WARN));
        assertThat(context.getLogger("org.pircbotx").getLevel()).isEqualTo(Level.WARN);
        assertThat(context.getLogger("okhttp3").getLevel()).isEqualTo(Level.WARN);
        // Logs go to stderr: the terminal room owns stdout.
        assertThat(root.getAppender("STDERR")).isInstanceOfSatisfying(ConsoleAppender.class,
                a -> assertThat(a.getTarget()).isEqualTo("System.err"));
    }

    @Test
    void isTheConfigurationLogbackFindsAsAService() {
        // Registered in META-INF/services, so logback never reaches its XML configurators.
        assertThat(java.util.ServiceLoader.load(Configurator.class).stream().map(p -> p.type().getName()))
                .contains(LogSetup.class.getName());
    }
}

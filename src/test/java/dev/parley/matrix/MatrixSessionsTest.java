package dev.parley.matrix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** The kept sessions file: beside the room's state, owner-only, survives a restart, a damaged one means login. */
class MatrixSessionsTest {
    private static final String HS = "https://hs.example/";

    @TempDir
    Path dir;

    private final Logger matrixLog = (Logger) LoggerFactory.getLogger("dev.parley.matrix");
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();

    @BeforeEach
    void captureLogs() {
        logs.start();
        matrixLog.addAppender(logs);
    }

    @AfterEach
    void releaseLogs() {
        matrixLog.detachAppender(logs);
    }

    private List<String> logLines() {
        return logs.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    @Test
    void theFileLivesBesideTheRoomsStateFile() {
        Path state = dir.resolve("state/matrix-local-_r_hs.json");
        assertThat(MatrixSessions.fileBeside(state)).isEqualTo(dir.resolve("state/matrix-local-_r_hs.sessions.json"));
    }

    @Test
    void aTokenIsKeptPerHomeserverUserAndDeviceAcrossRestartsInAnOwnerOnlyFile() throws Exception {
        Path state = dir.resolve("state/room.json");
        MatrixSessions first = MatrixSessions.beside(state);
        first.remember(HS, "@a:hs", "DEV1", "token-a");
        first.remember(HS, "@b:hs", "DEV2", "token-b");

        MatrixSessions next = MatrixSessions.beside(state);
        assertThat(next.token(HS, "@a:hs", "DEV1")).contains("token-a");
        assertThat(next.token(HS, "@b:hs", "DEV2")).contains("token-b");
        assertThat(next.token(HS, "@a:hs", "DEV2")).as("another device").isEmpty();
        assertThat(next.token("https://other.example/", "@a:hs", "DEV1")).as("another homeserver").isEmpty();
        next.forget(HS, "@a:hs", "DEV1");
        assertThat(MatrixSessions.beside(state).token(HS, "@a:hs", "DEV1")).isEmpty();
        assertThat(MatrixSessions.beside(state).token(HS, "@b:hs", "DEV2")).contains("token-b");

        Path file = MatrixSessions.fileBeside(state);
        assumeTrue(file.getFileSystem().supportedFileAttributeViews().contains("posix"), "POSIX permissions");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(Files.list(file.getParent()).map(p -> p.getFileName().toString()))
                .as("no temporary file left").containsExactly(file.getFileName().toString());
    }

    @Test
    void aLeftoverTemporaryFileWithWidePermissionsIsNotWhatTheTokenIsWrittenTo() throws Exception {
        Path state = dir.resolve("room.json");
        Path file = MatrixSessions.fileBeside(state);
        assumeTrue(file.getFileSystem().supportedFileAttributeViews().contains("posix"), "POSIX permissions");
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, "left over");
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-rw-rw-"));
        MatrixSessions.beside(state).remember(HS, "@a:hs", "DEV1", "token-a");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void aDamagedFileCountsAsEmptyIsNamedInAWarningWithoutItsTokensAndIsWrittenAnew() throws Exception {
        Path state = dir.resolve("room.json");
        Path file = MatrixSessions.fileBeside(state);
        // Torn in the middle of a token: a parser's message would quote it.
        Files.writeString(file, "{\"sessions\":[{\"homeserver\":\"" + HS + "\",\"user\":\"@a:hs\",\"device\":\"D\","
                + "\"access_token\":syt_secret_torn");
        MatrixSessions s = MatrixSessions.beside(state);
        assertThat(s.token(HS, "@a:hs", "D")).isEmpty();
        assertThat(logLines()).singleElement().asString().contains(file.toString()).contains("unreadable")
                .doesNotContain("syt_secret_torn");

        s.remember(HS, "@a:hs", "D", "token-new");
        assertThat(MatrixSessions.beside(state).token(HS, "@a:hs", "D")).contains("token-new");
    }

    @Test
    void anEntryMissingItsTokenMakesTheFileDamagedNotAnEmptyToken() throws Exception {
        Path state = dir.resolve("room.json");
        Files.writeString(MatrixSessions.fileBeside(state), "{\"sessions\":[{\"homeserver\":\"" + HS
                + "\",\"user\":\"@a:hs\",\"device\":\"D\"}]}");
        assertThat(MatrixSessions.beside(state).token(HS, "@a:hs", "D")).isEqualTo(Optional.empty());
        assertThat(logLines()).singleElement().asString().contains("unreadable");
    }
}

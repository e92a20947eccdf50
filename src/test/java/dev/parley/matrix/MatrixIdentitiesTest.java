package dev.parley.matrix;

import static dev.parley.matrix.ScriptedHomeserver.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.config.MatrixIdentity;
import dev.parley.config.MatrixServerConfig;
import dev.parley.config.Secret;
import dev.parley.core.SeatId;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** Logins, ghosts and whoami checks against a scripted homeserver in virtual time. */
class MatrixIdentitiesTest {
    private static final SeatId KIMI = SeatId.of("kimi");
    private static final SeatId BASIL = SeatId.of("basil");

    private final ScriptedHomeserver hs = new ScriptedHomeserver();
    private final Recorder rec = new Recorder();
    private final OkHttpClient http = MatrixClient.defaultHttp();

    @TempDir
    Path dir;

    MatrixIdentitiesTest() throws Exception {
        hs.on("GET", "/account/whoami", c -> json(200, "{\"user_id\":\"" + c.user() + "\"}"));
    }

    @AfterEach
    void stop() {
        hs.close();
    }

    private MatrixIdentities identities(MatrixServerConfig cfg, MatrixSeat... seats) {
        return identities(cfg, MatrixSessions.inMemory(), seats);
    }

    private MatrixIdentities identities(MatrixServerConfig cfg, MatrixSessions sessions, MatrixSeat... seats) {
        Map<SeatId, MatrixSeat> bySeat = new LinkedHashMap<>();
        for (MatrixSeat s : seats) {
            bySeat.put(s.id(), s);
        }
        RoomContext ctx = hs.context(cfg, bySeat.keySet());
        ctx.listener = rec;
        return new MatrixIdentities(ctx, "#r:hs", http, bySeat, sessions);
    }

    /** Accounts mode with the control user @bot:hs logging in with a password. */
    private MatrixServerConfig passwordControl() {
        return new MatrixServerConfig("hs", hs.url(), "@bot:hs", Optional.empty(), List.of(),
                MatrixServerConfig.Mode.ACCOUNTS, Optional.of(new Secret("pw", "test")), OptionalInt.empty(),
                Optional.empty());
    }

    private static MatrixSeat passwordSeat(SeatId id, String user) {
        return new MatrixSeat(id, id.value(), new MatrixIdentity(user, Optional.empty(),
                Optional.of(new Secret(id.value() + "-pw", "test"))));
    }

    /** A login answers with a token named after the user (this server's whoami takes token "kimi" for @kimi:hs). */
    private void loginsGiveTokensNamedAfterTheirUser() {
        hs.on("POST", "/login", c -> json(200, "{\"access_token\":\""
                + MatrixIds.localpart(c.body().path("identifier").path("user").asText()) + "\"}"));
    }

    /** One start: the control identity and every seat, each identified as the room does it. */
    private void start(MatrixIdentities ids, MatrixSeat... seats) throws Exception {
        MatrixClient control = hs.drive(ids.control()).get();
        hs.drive(ids.identifyControl(control)).get();
        for (MatrixSeat s : seats) {
            hs.drive(ids.seat(s, control)).get();
        }
    }

    private static MatrixSeat seat(SeatId id, String user, String token) {
        return new MatrixSeat(id, id.value(), new MatrixIdentity(user,
                Optional.ofNullable(token).map(t -> new Secret(t, "test")), Optional.empty()));
    }

    @Test
    void aPasswordLoginIsRetriedAndLogsInAsTheSameDeviceEveryTime() throws Exception {
        AtomicInteger logins = new AtomicInteger();
        hs.on("POST", "/login", c -> logins.incrementAndGet() == 1 ? json(502, "{}")
                : json(200, "{\"access_token\":\"fresh\"}"));
        MatrixServerConfig cfg = new MatrixServerConfig("hs", hs.url(), "@bot:hs", Optional.empty(), List.of(),
                MatrixServerConfig.Mode.ACCOUNTS, Optional.of(new Secret("pw", "test")), OptionalInt.empty(),
                Optional.empty());
        MatrixIdentities ids = identities(cfg);
        Instant t0 = hs.scheduler.now();
        MatrixClient control = hs.drive(ids.control()).get();
        assertThat(Duration.between(t0, hs.scheduler.now())).isEqualTo(ScriptedHomeserver.BACKOFF.initial());

        assertThat(hs.drive(ids.identifyControl(control)).get()).isEqualTo("@fresh:hs");
        assertThat(ids.controlUserId()).isEqualTo("@fresh:hs");
        assertThat(ids.isOwn("@fresh:hs")).isTrue();
        assertThat(ids.isOwn("@bot:hs")).as("as configured").isTrue();
        assertThat(hs.calls("POST", "/login")).hasSize(2).allSatisfy(c -> {
            assertThat(c.body().path("device_id").asText()).isEqualTo(MatrixIds.deviceId("@bot:hs", "#r:hs"));
            assertThat(c.body().path("identifier").path("user").asText()).isEqualTo("@bot:hs");
            assertThat(c.body().path("password").asText()).isEqualTo("pw");
        });
    }

    @Test
    void aSeatWhoseTokenIsSomebodyElsesIsReportedAndPostsCountAsTheActualUsers() throws Exception {
        MatrixSeat kimi = seat(KIMI, "@kimi:hs", "somebody");
        MatrixSeat basil = seat(BASIL, "@basil:hs", "basil");
        MatrixIdentities ids = identities(hs.accounts(), kimi, basil);
        MatrixClient control = hs.client("bot");
        hs.drive(ids.seat(kimi, control)).get();
        hs.drive(ids.seat(basil, control)).get();

        assertThat(ids.userOf(kimi)).isEqualTo("@somebody:hs");
        assertThat(ids.isOwn("@somebody:hs")).isTrue();
        assertThat(ids.isOwn("@kimi:hs")).as("a human could be @kimi:hs").isFalse();
        assertThat(ids.isOwn("@basil:hs")).isTrue();
        assertThat(rec.problems).singleElement().asString()
                .contains("seat kimi is configured as @kimi:hs but its token belongs to @somebody:hs");
    }

    @Test
    void aSeatWithoutTokenOrPasswordIsRefusedNamingTheSettings() {
        MatrixIdentities ids = identities(hs.accounts(), seat(KIMI, "@kimi:hs", null));
        var f = hs.drive(ids.seat(seat(KIMI, "@kimi:hs", null), hs.client("bot")));
        assertThatThrownBy(f::get).isInstanceOf(ExecutionException.class)
                .hasMessageContaining("@kimi:hs has no access token or password")
                .hasMessageContaining("access-token-env or password-env of seat kimi");
        assertThat(hs.calls()).isEmpty();
    }

    @Test
    void inAppserviceModeGhostsAreRegisteredAndMasqueradedAndTheWholeNamespaceIsOurs() throws Exception {
        hs.on("POST", "/register", c -> c.body().path("username").asText().equals("parley_basil")
                ? json(400, "{\"errcode\":\"M_USER_IN_USE\"}") : json(200, "{}"));
        MatrixServerConfig cfg = new MatrixServerConfig("hs", hs.url(), "@parley:hs", Optional.empty(), List.of(),
                MatrixServerConfig.Mode.APPSERVICE, Optional.empty(), OptionalInt.empty(),
                Optional.of(new MatrixServerConfig.Appservice(dir.resolve("reg.yaml"), "parley", Optional.empty())));
        MatrixRegistration.write(cfg, false);
        String asToken = MatrixRegistration.read(dir.resolve("reg.yaml")).asToken();
        MatrixSeat kimi = seat(KIMI, "@parley_kimi:hs", null);
        MatrixSeat basil = seat(BASIL, "@parley_basil:hs", null);
        MatrixSeat stray = seat(SeatId.of("stray"), "@stray:hs", null);
        MatrixIdentities ids = identities(cfg, kimi, basil, stray);

        MatrixClient control = hs.drive(ids.control()).get();
        assertThat(hs.drive(ids.identifyControl(control)).get()).isEqualTo("@" + asToken + ":hs");
        hs.drive(ids.seat(kimi, control)).get();
        hs.drive(ids.seat(basil, control)).get();
        var refused = hs.drive(ids.seat(stray, control));
        assertThatThrownBy(refused::get).hasMessageContaining("outside the appservice user namespace");

        assertThat(hs.calls("POST", "/register")).extracting(c -> c.body().path("username").asText())
                .containsExactly("parley_kimi", "parley_basil");
        assertThat(hs.calls("POST", "/register")).allSatisfy(c -> {
            assertThat(c.body().path("type").asText()).isEqualTo("m.login.application_service");
            assertThat(c.query("user_id")).isNull();
        });
        assertThat(hs.calls("GET", "/account/whoami")).extracting(c -> c.query("user_id"))
                .containsExactly(null, "@parley_kimi:hs", "@parley_basil:hs");
        assertThat(ids.isOwn("@parley_someone_else:hs")).isTrue();
        assertThat(ids.isOwn("@human:hs")).isFalse();
        assertThat(rec.problems).isEmpty();
        ids.closeAll();
        assertThat(control.isClosed()).isTrue();
    }

    @Test
    void aControlTokenOfAnotherUserCountsAsOursToo() throws Exception {
        MatrixServerConfig cfg = new MatrixServerConfig("hs", hs.url(), "@bot:hs",
                Optional.of(new Secret("other", "test")), List.of());
        MatrixIdentities ids = identities(cfg);
        assertThat(hs.drive(ids.identifyControl(hs.drive(ids.control()).get())).get()).isEqualTo("@other:hs");
        assertThat(ids.ownUsers()).containsExactlyInAnyOrder("@bot:hs", "@other:hs");
        assertThat(Set.copyOf(hs.paths())).containsExactly("GET /account/whoami");
    }

    @Test
    void aPasswordLoginsTokenIsKeptAndTheNextStartUsesItWithoutLoggingIn() throws Exception {
        loginsGiveTokensNamedAfterTheirUser();
        Path state = dir.resolve("state/matrix-hs-_r_hs.json");
        MatrixSeat kimi = passwordSeat(KIMI, "@kimi:hs");
        start(identities(passwordControl(), MatrixSessions.beside(state), kimi), kimi);
        assertThat(hs.calls("POST", "/login")).hasSize(2);
        assertThat(hs.calls("GET", "/account/whoami")).hasSize(2);

        MatrixIdentities again = identities(passwordControl(), MatrixSessions.beside(state), kimi);
        start(again, kimi);
        assertThat(hs.calls("POST", "/login")).as("no login at the second start").hasSize(2);
        assertThat(hs.calls("GET", "/account/whoami")).as("one whoami per identity, proving the kept token")
                .hasSize(4).extracting(ScriptedHomeserver.Call::user)
                .containsExactly("@bot:hs", "@kimi:hs", "@bot:hs", "@kimi:hs");
        assertThat(again.controlUserId()).isEqualTo("@bot:hs");
        assertThat(again.userOf(kimi)).isEqualTo("@kimi:hs");
        assertThat(rec.problems).isEmpty();
    }

    @Test
    void aKeptTokenRefusedAsUnknownIsDroppedAndThePasswordLogsInOnceAsTheSameDevice() throws Exception {
        keptTokenRefused("{\"errcode\":\"M_UNKNOWN_TOKEN\",\"error\":\"Invalid access token passed.\"}");
    }

    @Test
    void aSoftLogoutLogsInAgainAsTheSameDevice() throws Exception {
        keptTokenRefused("{\"errcode\":\"M_UNKNOWN_TOKEN\",\"error\":\"Access token has expired\","
                + "\"soft_logout\":true}");
    }

    private void keptTokenRefused(String answer) throws Exception {
        Logger matrixLog = (Logger) LoggerFactory.getLogger("dev.parley.matrix");
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        matrixLog.addAppender(logs);
        ch.qos.logback.classic.Level level = matrixLog.getLevel();
        matrixLog.setLevel(ch.qos.logback.classic.Level.INFO);
        try {
            loginsGiveTokensNamedAfterTheirUser();
            hs.on("GET", "/account/whoami", c -> c.user().equals("@revoked:hs") ? json(401, answer)
                    : json(200, "{\"user_id\":\"" + c.user() + "\"}"));
            Path state = dir.resolve("room.json");
            String device = MatrixIds.deviceId("@bot:hs", "#r:hs");
            MatrixSessions.beside(state).remember(hs.url(), "@bot:hs", device, "revoked");

            MatrixIdentities ids = identities(passwordControl(), MatrixSessions.beside(state));
            MatrixClient control = hs.drive(ids.control()).get();
            assertThat(hs.drive(ids.identifyControl(control)).get()).isEqualTo("@bot:hs");

            assertThat(hs.paths()).containsExactly("GET /account/whoami", "POST /login", "GET /account/whoami");
            assertThat(hs.calls("POST", "/login")).singleElement()
                    .satisfies(c -> assertThat(c.body().path("device_id").asText()).isEqualTo(device));
            assertThat(MatrixSessions.beside(state).token(hs.url(), "@bot:hs", device)).contains("bot");
            assertThat(logs.list).extracting(ILoggingEvent::getFormattedMessage)
                    .anySatisfy(l -> assertThat(l).contains("kept session of @bot:hs").contains("logging in again"))
                    .noneSatisfy(l -> assertThat(l).contains("revoked"));
        } finally {
            matrixLog.setLevel(level);
            matrixLog.detachAppender(logs);
        }
    }

    @Test
    void aConfiguredAccessTokenIsNeverKeptAndTheFileIsOwnerOnly() throws Exception {
        loginsGiveTokensNamedAfterTheirUser();
        Path state = dir.resolve("room.json");
        MatrixSeat kimi = passwordSeat(KIMI, "@kimi:hs");
        MatrixSeat basil = seat(BASIL, "@basil:hs", "configured-basil");
        MatrixServerConfig cfg = new MatrixServerConfig("hs", hs.url(), "@bot:hs",
                Optional.of(new Secret("configured-bot", "test")), List.of());
        start(identities(cfg, MatrixSessions.beside(state), kimi, basil), kimi, basil);
        assertThat(hs.calls("POST", "/login")).as("only kimi logs in").hasSize(1);

        Path file = MatrixSessions.fileBeside(state);
        String text = Files.readString(file);
        assertThat(text).contains("\"kimi\"").doesNotContain("configured-");
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        }

        Path tokensOnly = dir.resolve("tokens-only.json");
        start(identities(cfg, MatrixSessions.beside(tokensOnly), basil), basil);
        assertThat(MatrixSessions.fileBeside(tokensOnly)).as("nothing to keep, no file").doesNotExist();
    }

    @Test
    void aDamagedSessionsFileMeansALoginThatWritesItAnew() throws Exception {
        loginsGiveTokensNamedAfterTheirUser();
        Path state = dir.resolve("room.json");
        Files.writeString(MatrixSessions.fileBeside(state), "{\"sessions\": [ {\"access_token\": \"half");
        MatrixIdentities ids = identities(passwordControl(), MatrixSessions.beside(state));
        start(ids);
        assertThat(hs.calls("POST", "/login")).hasSize(1);
        assertThat(ids.controlUserId()).isEqualTo("@bot:hs");
        assertThat(MatrixSessions.beside(state).token(hs.url(), "@bot:hs", MatrixIds.deviceId("@bot:hs", "#r:hs")))
                .contains("bot");
    }
}

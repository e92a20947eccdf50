package dev.parley.config;

import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import dev.parley.config.ConversationConfig.TurnPolicyKind;
import dev.parley.core.SeatId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads one conversation (laid over conversation-defaults): its seats, rooms and rules, and checks what only makes
 * sense across them: seat ids and names, nicks per IRC network, Matrix logins per server, and across conversations
 * ids and rooms.
 */
final class ConversationReader {
    private final SeatReader seatReader;
    private final RoomReader roomReader;
    private final ModerationReader moderationReader;

    ConversationReader(SeatReader seatReader, RoomReader roomReader, ModerationReader moderationReader) {
        this.seatReader = seatReader;
        this.roomReader = roomReader;
        this.moderationReader = moderationReader;
    }

    ConversationConfig conversation(Node n, ConfigObject seatDefaults, ConfigObject roomDefaults,
                                     Map<String, IrcNetworkConfig> networks,
                                     Map<String, MatrixServerConfig> servers) {
        String id = n.text("id");
        if (!id.isEmpty() && !Values.ID.matcher(id).matches()) {
            n.problem("id", "a conversation id is 1-64 letters, digits, '_', '.' or '-' (it names files), got \""
                    + id + "\"");
        }
        TurnPolicyKind turnPolicy = n.choice("turn-policy", TurnPolicyKind.class, TurnPolicyKind.ROUND_ROBIN);
        // "" reads as "no opening line": the engine then sends its single space.
        Optional<String> openingLine = n.optString("opening-line").filter(line -> !line.isEmpty());
        boolean autoStart = n.bool("auto-start");

        List<SeatConfig> seats = new ArrayList<>();
        List<Node> seatNodes = new ArrayList<>();
        ConfigValue seatsValue = n.raw("seats");
        List<ConfigValue> seatList = n.list("seats");
        Set<String> seatIds = new HashSet<>();
        Map<String, String> seatNames = new HashMap<>();
        for (int i = 0; i < seatList.size(); i++) {
            Optional<Node> s = n.element(seatList.get(i), seatDefaults, n.path("seats") + "." + i);
            if (s.isEmpty()) {
                continue;
            }
            Optional<SeatConfig> seat = seatReader.seat(s.get());
            if (seat.isEmpty()) {
                continue;
            }
            SeatConfig sc = seat.get();
            seatNodes.add(s.get());
            if (!seatIds.add(sc.id().value())) {
                s.get().problem("id", "duplicate seat id \"" + sc.id() + "\" in conversation \"" + id + "\"");
            }
            String previous = seatNames.putIfAbsent(sc.name().toLowerCase(), sc.id().value());
            if (previous != null && !previous.equals(sc.id().value())) {
                s.get().problem(s.get().ownHas("name") ? "name" : "id", "seat name \"" + sc.name()
                        + "\" is also the name of seat \"" + previous + "\"; models tell speakers apart by name");
            }
            seats.add(sc);
        }
        if (seatsValue == null) {
            n.missing("seats", "a list of at least 2 seats");
        } else if (seatsValue.valueType() == ConfigValueType.LIST && seatList.size() < 2) {
            n.problem("seats", "a conversation needs at least 2 seats (found " + seatList.size() + ")");
        }

        List<RoomConfig> rooms = new ArrayList<>();
        ConfigValue roomsValue = n.raw("rooms");
        List<ConfigValue> roomList = n.list("rooms");
        for (int i = 0; i < roomList.size(); i++) {
            roomReader.room(n, roomList.get(i), roomDefaults, n.path("rooms") + "." + i, networks, servers)
                    .ifPresent(rooms::add);
        }
        if (roomsValue == null) {
            n.missing("rooms", "a list of at least one room, such as [ { type = terminal } ]");
        } else if (roomsValue.valueType() == ConfigValueType.LIST && roomList.isEmpty()) {
            n.problem("rooms", "a conversation needs at least one room");
        }
        checkIrcIdentities(seats, seatNodes, rooms, networks);
        checkMatrixIdentities(seats, seatNodes, rooms, servers);

        return new ConversationConfig(id, seats, rooms, turnPolicy, openingLine, autoStart,
                pacing(n.child("pacing")), stop(n.child("stop")), health(n.child("health")),
                context(n.child("context")), replies(n.child("replies")), commands(n.child("commands")),
                hosting(n, seats), web(n.child("web")), moderationReader.moderation(n.child("moderation")));
    }

    private static WebConfig web(Node w) {
        return new WebConfig(w.bool("private"), w.bool("indexable"));
    }

    /** The default cast (seat ids of the roster) and the episodes block. */
    private static HostingConfig hosting(Node n, List<SeatConfig> roster) {
        List<SeatId> cast = new ArrayList<>();
        if (n.isSet("cast")) {
            List<String> ids = n.strings("cast");
            for (String ref : ids) {
                Optional<SeatConfig> seat = roster.stream().filter(s -> s.id().value().equals(ref)).findFirst();
                if (seat.isEmpty()) {
                    n.problem("cast", "no seat \"" + ref + "\" in this conversation (seats: " + String.join(", ",
                            roster.stream().map(s -> s.id().value()).toList()) + ")");
                } else if (cast.contains(seat.get().id())) {
                    n.problem("cast", "seat \"" + ref + "\" is listed twice");
                } else {
                    cast.add(seat.get().id());
                }
            }
            if (ids.size() < 2 && !roster.isEmpty()) {
                n.problem("cast", "a cast needs at least 2 seats (found " + ids.size() + ")");
            }
        }
        Node e = n.child("episodes");
        HostingConfig.AfterEnd afterEnd = e.choice("after-end", HostingConfig.AfterEnd.class,
                HostingConfig.AfterEnd.WAIT);
        Duration coolDown = e.duration("cool-down", Duration.ZERO);
        int max = e.integer("max", 0, 1_000_000);
        List<TimeWindow> windows = new ArrayList<>();
        List<String> spans = e.strings("windows");
        for (int i = 0; i < spans.size(); i++) {
            Optional<TimeWindow> w = TimeWindow.parse(spans.get(i));
            if (w.isPresent()) {
                windows.add(w.get());
            } else {
                e.problem("windows", "\"" + spans.get(i) + "\" is not a time window such as \"18:00-23:00\" "
                        + "(24-hour local times, start and end differ)");
            }
        }
        HostingConfig.NextCast nextCast = e.choice("next-cast", HostingConfig.NextCast.class,
                HostingConfig.NextCast.SAME);
        return new HostingConfig(cast, afterEnd, coolDown, max, windows, nextCast);
    }

    /** On each IRC network a conversation is shown on, its seats' nicks must differ from each other and the bot's. */
    private static void checkIrcIdentities(List<SeatConfig> seats, List<Node> seatNodes, List<RoomConfig> rooms,
                                        Map<String, IrcNetworkConfig> networks) {
        Set<String> checked = new HashSet<>();
        for (RoomConfig room : rooms) {
            if (!(room instanceof RoomConfig.Irc) || !checked.add(((RoomConfig.Irc) room).network())) {
                continue;
            }
            IrcNetworkConfig net = networks.get(((RoomConfig.Irc) room).network());
            Map<String, String> nicks = new HashMap<>();
            for (int i = 0; i < seats.size(); i++) {
                SeatConfig s = seats.get(i);
                if (s.irc().isEmpty() && net != null) {
                    // Each seat speaks as its own nick: without one it could not speak in the channel at all.
                    seatNodes.get(i).problemHere("the conversation is shown on irc network \""
                            + ((RoomConfig.Irc) room).network() + "\": the seat needs irc { nick = ... }");
                }
                if (s.irc().isEmpty()) {
                    continue;
                }
                String nick = s.irc().get().nick().toLowerCase();
                Node nickNode = seatNodes.get(i).child("irc");
                String path = nickNode.path("nick");
                if (net != null && nick.equals(net.controlNick().toLowerCase())) {
                    nickNode.problems().add(nickNode.originOf("nick"), path, "nick \"" + s.irc().get().nick()
                            + "\" is the control nick of network \"" + net.name() + "\"");
                }
                String other = nicks.putIfAbsent(nick, s.id().value());
                if (other != null) {
                    nickNode.problems().add(nickNode.originOf("nick"), path, "nick \"" + s.irc().get().nick()
                            + "\" is also the nick of seat \"" + other + "\"");
                }
            }
        }
    }

    /**
     * On each Matrix server a conversation is shown on: in accounts mode every seat with a Matrix identity must be
     * able to log in; in appservice mode its user id must be in the application service's namespace.
     */
    private static void checkMatrixIdentities(List<SeatConfig> seats, List<Node> seatNodes, List<RoomConfig> rooms,
                                              Map<String, MatrixServerConfig> servers) {
        Set<String> checked = new HashSet<>();
        for (RoomConfig room : rooms) {
            if (!(room instanceof RoomConfig.Matrix) || !checked.add(((RoomConfig.Matrix) room).server())) {
                continue;
            }
            MatrixServerConfig server = servers.get(((RoomConfig.Matrix) room).server());
            if (server == null) {
                continue;
            }
            for (int i = 0; i < seats.size(); i++) {
                if (seats.get(i).matrix().isEmpty()) {
                    seatNodes.get(i).problemHere("the conversation is shown on matrix server \"" + server.name()
                            + "\": the seat needs matrix { user = ... }");
                    continue;
                }
                MatrixIdentity id = seats.get(i).matrix().get();
                Node m = seatNodes.get(i).child("matrix");
                if (server.mode() == MatrixServerConfig.Mode.ACCOUNTS) {
                    boolean named = m.isSet("access-token-env") || m.isSet("access-token-file")
                            || m.isSet("password-env") || m.isSet("password-file");
                    if (id.accessToken().isEmpty() && id.password().isEmpty() && !named) {
                        m.problemHere("matrix server \"" + server.name() + "\" is in accounts mode: the seat needs "
                                + "access-token-env (or -file) or password-env (or -file)");
                    }
                } else if (server.appservice().isPresent() && !id.userId().isEmpty()) {
                    String namespace = server.appservice().get().userNamespace()
                            .orElseGet(() -> defaultNamespace(server.controlUser()));
                    try {
                        if (!Pattern.matches(namespace, id.userId())) {
                            m.problem("user", "\"" + id.userId() + "\" is outside the namespace \"" + namespace
                                    + "\" of the application service of matrix server \"" + server.name() + "\"");
                        }
                    } catch (PatternSyntaxException reported) {
                        // the namespace itself was reported where it is configured
                    }
                }
            }
        }
    }

    /** The ghosts' namespace when none is configured: {@code @<control localpart>_.*:<server>}. */
    private static String defaultNamespace(String controlUser) {
        int colon = controlUser.indexOf(':');
        if (!controlUser.startsWith("@") || colon < 0) {
            return ".*";
        }
        return "@" + Pattern.quote(controlUser.substring(1, colon)) + "_.*:" + Pattern.quote(controlUser.substring(colon + 1));
    }

    private static PacingConfig pacing(Node p) {
        Optional<Duration> minSet = p.requiredDuration("min-delay", Duration.ZERO, Bounds.PAUSE);
        Optional<Duration> maxSet = p.requiredDuration("max-delay", Duration.ZERO, Bounds.PAUSE);
        Duration min = minSet.orElse(Duration.ZERO);
        Duration max = maxSet.orElse(Duration.ZERO);
        if (minSet.isPresent() && maxSet.isPresent() && min.compareTo(max) > 0) {
            p.problems().add(Values.userOrigin(p, "min-delay", "max-delay"), p.path(),
                    "min-delay " + Durations.format(min) + " is longer than max-delay " + Durations.format(max));
        }
        double cps = p.number("typing-chars-per-second", 0, Bounds.RATE);
        Duration typingMax = p.duration("typing-max", Duration.ZERO, Bounds.PAUSE);
        return new PacingConfig(min, max, cps, typingMax, p.bool("show-typing"));
    }

    private static StopConfig stop(Node s) {
        int maxTurns = s.integer("max-turns", 0, Bounds.TURNS);
        Duration maxDuration = s.duration("max-duration", Duration.ZERO, Bounds.CONVERSATION);
        String endToken = s.string("end-token");
        int endTokenMinTurns = s.integer("end-token-min-turns", 0, Bounds.TURNS);
        int failures = s.integer("max-consecutive-failures", 0, 1000);
        long maxTokens = s.longValue("max-tokens", 0, Bounds.TOKENS);
        Optional<Double> maxCost = s.optNumber("max-cost", 0, Bounds.DOLLARS);
        return new StopConfig(maxTurns, maxDuration, endToken, endTokenMinTurns, failures, maxTokens, maxCost);
    }

    private static HealthConfig health(Node h) {
        int window = h.integer("window", 2, 1000);
        int emptyMessages = h.integer("empty-messages", 1, 1000);
        if (emptyMessages > window) {
            h.problem("empty-messages", "must be at most window (" + window + "): it counts among the last window "
                    + "messages, got " + emptyMessages);
        }
        return new HealthConfig(h.bool("enabled"),
                h.choice("action", HealthConfig.Action.class, HealthConfig.Action.STOP),
                window,
                h.integer("min-new-words", 0, 1000),
                emptyMessages,
                h.number("similarity", 0.01, 1),
                h.integer("repeats", 2, 1000),
                h.integer("template-min-words", 3, 100_000),
                h.integer("template-messages", 2, 1000),
                h.number("template-sameness", 0.01, 1),
                h.integer("stale-messages", 1, 1000),
                h.number("stale-share", 0, 1),
                h.integer("rapture-messages", 1, 1000),
                h.number("rapture-share", 0.001, 1),
                h.integer("formula-messages", 3, 1000),
                h.number("formula-restated", 0, 1));
    }

    private static ContextConfig context(Node c) {
        return new ContextConfig(c.bool("room-preamble"), c.string("aside-prefix"),
                c.number("chars-per-token", 0.5, 100));
    }

    private static ReplyConfig replies(Node r) {
        return new ReplyConfig(
                r.choice("on-failure", ReplyConfig.OnFailure.class, ReplyConfig.OnFailure.SKIP),
                r.choice("empty-reply", ReplyConfig.EmptyReply.class, ReplyConfig.EmptyReply.RETRY_THEN_SKIP),
                r.choice("stream-cut", ReplyConfig.StreamCut.class, ReplyConfig.StreamCut.RETRY),
                r.bool("stream-paragraphs"));
    }

    private static CommandConfig commands(Node c) {
        String prefix = c.text("prefix");
        if (!prefix.isEmpty() && (prefix.length() > 3 || !prefix.strip().equals(prefix) || prefix.contains(" "))) {
            c.problem("prefix", "a command prefix is 1-3 characters without spaces, got \"" + prefix + "\"");
        }
        return new CommandConfig(prefix, c.bool("private-messages"));
    }

    static void crossChecks(Problems problems, List<ConversationConfig> conversations,
                                    List<ConfigOrigin> origins) {
        Set<String> ids = new HashSet<>();
        Map<String, String> places = new HashMap<>();
        String terminalOwner = null;
        int terminalIndex = -1;
        for (int i = 0; i < conversations.size(); i++) {
            ConversationConfig c = conversations.get(i);
            String path = "conversations." + i;
            ConfigOrigin origin = origins.get(i);
            if (!c.id().isEmpty() && !ids.add(c.id())) {
                problems.add(origin, path + ".id",
                        "duplicate conversation id \"" + c.id() + "\"");
            }
            for (RoomConfig room : c.rooms()) {
                String place = room.place().orElse(null);
                if (room instanceof RoomConfig.Terminal) {
                    if (terminalIndex >= 0 && terminalIndex != i) {
                        problems.add(origin, path + ".rooms",
                                "only one conversation can use the terminal room (\"" + terminalOwner
                                        + "\" already does)");
                    }
                    terminalOwner = c.id();
                    terminalIndex = i;
                }
                if (place != null) {
                    String other = places.putIfAbsent(place, c.id());
                    if (other != null) {
                        problems.add(origin, path + ".rooms",
                                place.substring(place.indexOf(' ') + 1) + " is already the room of conversation \""
                                        + other + "\"");
                    }
                }
            }
        }
    }
}

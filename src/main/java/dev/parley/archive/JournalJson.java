package dev.parley.archive;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * The JSON form of one journal line. Instants are ISO-8601 strings ("2026-11-20T09:00:00Z"): readable by a
 * human with grep, and it spares us jackson-datatype-jsr310 for the one time type the journal uses.
 */
final class JournalJson {
    /**
     * The longest text written in one journal field. The reader's JSON parser refuses strings over 20 million
     * characters, and a journal parley cannot read back can never be rendered or resumed; so text is cut on the
     * way in, far below that: a million characters is more than any model reply or chat message, and several
     * such fields still make a line the reader takes.
     */
    static final int MAX_TEXT_CHARS = 1_000_000;

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new SimpleModule("parley-instant")
                    .addSerializer(Instant.class, new InstantSerializer())
                    .addDeserializer(Instant.class, new InstantDeserializer())
                    .addSerializer(String.class, new CappedStringSerializer()))
            // Only record components are properties: Said.isModel() would otherwise be written as "model": true,
            // clobbering the model id of the same name.
            .setVisibility(PropertyAccessor.IS_GETTER, JsonAutoDetect.Visibility.NONE)
            .disable(SerializationFeature.INDENT_OUTPUT)
            // A field added by a newer parley is not corruption; the journal must stay readable across versions.
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final ObjectWriter WRITER = MAPPER.writerFor(JournalEvent.class);
    private static final ObjectReader READER = MAPPER.readerFor(JournalEvent.class);

    private JournalJson() { }

    /** One event as JSON, without the line break (JSON escapes every line break inside strings). */
    static byte[] write(JournalEvent event) {
        try {
            return WRITER.writeValueAsBytes(event);
        } catch (IOException e) {
            throw new JournalException("cannot serialise journal event " + event.seq() + ": " + e.getMessage(), e);
        }
    }

    /** One event as JSON and its line break, written straight into {@code out} (no array of its own). */
    static void writeLine(JournalEvent event, ByteArrayOutputStream out) {
        try {
            WRITER.writeValue(out, event);
        } catch (IOException e) {
            throw new JournalException("cannot serialise journal event " + event.seq() + ": " + e.getMessage(), e);
        }
        out.write('\n');
    }

    static JournalEvent read(byte[] line, int offset, int length) throws IOException {
        return READER.readValue(line, offset, length);
    }

    private static final class InstantSerializer extends JsonSerializer<Instant> {
        @Override
        public void serialize(Instant value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
            gen.writeString(value.toString());
        }
    }

    /** Writes a string, cut at {@link #MAX_TEXT_CHARS} with a note of how much was left out. */
    private static final class CappedStringSerializer extends JsonSerializer<String> {
        @Override
        public void serialize(String value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
            if (value.length() <= MAX_TEXT_CHARS) {
                gen.writeString(value);
                return;
            }
            int end = Character.isHighSurrogate(value.charAt(MAX_TEXT_CHARS - 1)) ? MAX_TEXT_CHARS - 1 : MAX_TEXT_CHARS;
            gen.writeString(value.substring(0, end) + " [… " + (value.length() - end)
                    + " more characters not journalled]");
        }
    }

    private static final class InstantDeserializer extends JsonDeserializer<Instant> {
        @Override
        public Instant deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.currentToken() != JsonToken.VALUE_STRING) {
                return (Instant) ctxt.handleUnexpectedToken(Instant.class, p);
            }
            try {
                return Instant.parse(p.getText());
            } catch (DateTimeParseException e) {
                return (Instant) ctxt.handleWeirdStringValue(Instant.class, p.getText(), "not an ISO-8601 instant");
            }
        }
    }
}

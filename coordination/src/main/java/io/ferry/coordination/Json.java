package io.ferry.coordination;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;

/** The one codec for everything Ferry stores in znodes: small, readable JSON. */
public final class Json {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .setSerializationInclusion(JsonInclude.Include.NON_NULL)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES); // newer writers may add fields

    private Json() {}

    public static byte[] write(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot encode " + value.getClass().getSimpleName() + ": " + e, e);
        }
    }

    /**
     * Decodes the content of {@code path}.
     *
     * @throws MalformedDataException naming the path when the bytes are not a valid {@code type}
     */
    public static <T> T read(String path, byte[] data, Class<T> type) {
        if (data == null || data.length == 0) {
            throw new MalformedDataException(path, "empty");
        }
        try {
            return MAPPER.readValue(data, type);
        } catch (IOException | RuntimeException e) {
            Throwable cause = e.getCause() instanceof IllegalArgumentException ? e.getCause() : e;
            String message = cause.getMessage() == null ? cause.toString() : cause.getMessage();
            throw new MalformedDataException(path, message.lines().findFirst().orElse(message));
        }
    }

    /** Pretty JSON for people (the CLI's {@code --json}). */
    public static String pretty(Object value) {
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The shared mapper, for callers that build JSON trees (the CLI). */
    public static ObjectMapper mapper() {
        return MAPPER;
    }
}

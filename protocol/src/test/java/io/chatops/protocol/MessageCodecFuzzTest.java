package io.chatops.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Feeds the decoder garbage derived from every golden message: truncations, values swapped for
 * hostile ones, fields removed, bytes flipped, random bytes and text. Whatever comes in, the
 * decoder must either return a valid message (which then survives a round trip) or throw a
 * {@link ProtocolException}; any other exception is a defect. Seeds are fixed so that a failure
 * repeats; the failure message names the seed and the input.
 */
class MessageCodecFuzzTest {
    private static final int ROUNDS = 3_000;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final List<String> FRAMES = new ArrayList<>();

    static {
        MessageCodec codec = new MessageCodec();
        Samples.all().values().forEach(m -> FRAMES.add(codec.encode(m)));
    }

    private final MessageCodec codec = new MessageCodec();

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void truncated_frames_are_refused_cleanly(long seed) {
        Random random = new Random(seed);
        for (int i = 0; i < ROUNDS; i++) {
            String frame = pick(random, FRAMES);
            check(seed, frame.substring(0, random.nextInt(frame.length())));
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void hostile_values_anywhere_are_refused_cleanly(long seed) throws Exception {
        Random random = new Random(seed);
        for (int i = 0; i < ROUNDS; i++) {
            ObjectNode tree = (ObjectNode) JSON.readTree(pick(random, FRAMES));
            List<Slot> slots = new ArrayList<>();
            collectSlots(tree, slots);
            Slot slot = pick(random, slots);
            slot.replace(hostileValue(random));
            check(seed, tree.toString());
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void removed_fields_are_refused_cleanly(long seed) throws Exception {
        Random random = new Random(seed);
        for (int i = 0; i < ROUNDS; i++) {
            ObjectNode tree = (ObjectNode) JSON.readTree(pick(random, FRAMES));
            List<Slot> slots = new ArrayList<>();
            collectSlots(tree, slots);
            pick(random, slots).remove();
            check(seed, tree.toString());
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void flipped_bytes_are_refused_cleanly(long seed) {
        Random random = new Random(seed);
        for (int i = 0; i < ROUNDS; i++) {
            byte[] frame = pick(random, FRAMES).getBytes(StandardCharsets.UTF_8);
            for (int flips = 1 + random.nextInt(3); flips > 0; flips--) {
                frame[random.nextInt(frame.length)] = (byte) random.nextInt(256);
            }
            check(seed, frame);
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void random_bytes_and_text_are_refused_cleanly(long seed) {
        Random random = new Random(seed);
        for (int i = 0; i < ROUNDS; i++) {
            byte[] bytes = new byte[random.nextInt(200)];
            random.nextBytes(bytes);
            check(seed, bytes);
            StringBuilder text = new StringBuilder("{\"type\":\"" + pick(random, List.of("auth", "metrics", "command", "x")) + "\"");
            for (int n = random.nextInt(40); n > 0; n--) {
                text.append(pick(random, List.of("{", "}", "[", "]", ",", ":", "\"", "\\", "1", "-", "e9", "null", "\"seq\"",
                        "\ud800", "\u0000", "true", " ", "\"id\"", "1e400", "-0")));
            }
            check(seed, text.toString());
        }
    }

    private void check(long seed, Object input) {
        try {
            Message message = input instanceof byte[] bytes ? codec.decode(bytes) : codec.decode((String) input);
            assertThat(codec.decode(codec.encode(message))).isEqualTo(message);
        } catch (ProtocolException expected) {
            assertThat(expected.getMessage()).isNotBlank().hasSizeLessThan(600);
        } catch (RuntimeException | StackOverflowError e) {
            String shown = input instanceof byte[] bytes ? new String(bytes, StandardCharsets.ISO_8859_1) : (String) input;
            fail("seed " + seed + ": " + e + " for input " + shown.substring(0, Math.min(shown.length(), 2_000)), e);
        }
    }

    private static JsonNode hostileValue(Random random) {
        List<Supplier<JsonNode>> values = List.of(
                NODES::nullNode,
                () -> NODES.numberNode(-1),
                () -> NODES.numberNode(0),
                () -> NODES.numberNode(Long.MIN_VALUE),
                () -> NODES.numberNode(new BigInteger("9223372036854775808")),
                () -> NODES.numberNode(new BigInteger("-1" + "0".repeat(60))),
                () -> NODES.numberNode(1e308),
                () -> NODES.numberNode(-1e-300),
                () -> NODES.numberNode(2.5),
                () -> NODES.textNode(""),
                () -> NODES.textNode("   "),
                () -> NODES.textNode("x"),
                () -> NODES.textNode("'; DROP TABLE servers; --"),
                () -> NODES.textNode("2026-13-45T99:00:00Z"),
                () -> NODES.textNode("x".repeat(2 << 20)),
                () -> NODES.booleanNode(random.nextBoolean()),
                NODES::arrayNode,
                () -> NODES.arrayNode().add(NODES.nullNode()),
                NODES::objectNode,
                () -> deep(40));
        return values.get(random.nextInt(values.size())).get();
    }

    private static JsonNode deep(int depth) {
        JsonNode node = NODES.numberNode(1);
        for (int i = 0; i < depth; i++) {
            node = NODES.arrayNode().add(node);
        }
        return node;
    }

    /** Every place in a tree that holds a value, so that it can be replaced or removed. */
    private static void collectSlots(JsonNode node, List<Slot> slots) {
        if (node instanceof ObjectNode object) {
            object.fieldNames().forEachRemaining(name -> {
                slots.add(new Slot(object, name, -1));
                collectSlots(object.get(name), slots);
            });
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                slots.add(new Slot(array, null, i));
                collectSlots(array.get(i), slots);
            }
        }
    }

    private record Slot(JsonNode parent, String field, int index) {
        void replace(JsonNode value) {
            if (field != null) {
                ((ObjectNode) parent).set(field, value);
            } else {
                ((ArrayNode) parent).set(index, value);
            }
        }

        void remove() {
            if (field != null) {
                ((ObjectNode) parent).remove(field);
            } else {
                ((ArrayNode) parent).remove(index);
            }
        }
    }

    private static <T> T pick(Random random, List<T> items) {
        return items.get(random.nextInt(items.size()));
    }
}

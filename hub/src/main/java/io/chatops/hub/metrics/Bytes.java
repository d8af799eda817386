package io.chatops.hub.metrics;

import com.github.luben.zstd.Zstd;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The byte level of the stored blocks ({@link BlockCodec}, {@link SeriesCodec}): unsigned varints
 * (7 bits a byte), zigzag for signed ones, strings as length and UTF-8, series of numbers as small
 * differences, and the frame that says whether a block is compressed.
 */
final class Bytes {
    private static final byte PLAIN = 'P';
    private static final byte ZSTD = 'Z';
    private static final int ZSTD_LEVEL = 9;

    private static final int LONG_DELTA = 0;
    private static final int LONG_DELTA_OF_DELTA = 1;
    private static final int DOUBLE_HUNDREDTHS = 2;
    private static final int DOUBLE_BITS = 3;

    private Bytes() {
    }

    /** {@code plain} framed, compressed with zstd when asked (a lone sample is too small to gain from it). */
    static byte[] frame(byte[] plain, boolean compress) {
        Out out = new Out();
        if (compress) {
            out.write(ZSTD);
            out.varint(plain.length);
            byte[] packed = Zstd.compress(plain, ZSTD_LEVEL);
            out.write(packed, 0, packed.length);
        } else {
            out.write(PLAIN);
            out.write(plain, 0, plain.length);
        }
        return out.toByteArray();
    }

    static byte[] unframe(byte[] block) {
        if (block.length == 0) {
            throw new IllegalStateException("a stored block is damaged: it is empty");
        }
        return switch (block[0]) {
            case PLAIN -> Arrays.copyOfRange(block, 1, block.length);
            case ZSTD -> {
                In sizes = new In(block, 1);
                int size = Math.toIntExact(sizes.varint());
                yield Zstd.decompress(Arrays.copyOfRange(block, sizes.position, block.length), size);
            }
            default -> throw new IllegalStateException("a stored block is damaged: it starts with " + block[0]);
        };
    }

    static final class Out extends ByteArrayOutputStream {
        void varint(long value) {
            while ((value & ~0x7FL) != 0) {
                write((int) ((value & 0x7F) | 0x80));
                value >>>= 7;
            }
            write((int) value);
        }

        void zigzag(long value) {
            varint((value << 1) ^ (value >> 63));
        }

        void string(String text) {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            varint(bytes.length);
            write(bytes, 0, bytes.length);
        }

        /** A series of whole numbers: as deltas or as deltas of deltas, whichever is shorter. */
        void longs(long[] values) {
            Out delta = new Out();
            Out deltaOfDelta = new Out();
            long previous = 0;
            long previousDelta = 0;
            for (long v : values) {
                long d = v - previous;
                delta.zigzag(d);
                deltaOfDelta.zigzag(d - previousDelta);
                previous = v;
                previousDelta = d;
            }
            boolean dod = deltaOfDelta.size() < delta.size();
            write(dod ? LONG_DELTA_OF_DELTA : LONG_DELTA);
            Out chosen = dod ? deltaOfDelta : delta;
            write(chosen.buf, 0, chosen.count);
        }

        /** A series of doubles: as hundredths when every value is one (what agents send), else their exact bits. */
        void doubles(double[] values) {
            boolean hundredths = true;
            for (double v : values) {
                hundredths &= Math.abs(v) < 1e15 && Math.round(v * 100) / 100.0 == v;
            }
            if (hundredths) {
                write(DOUBLE_HUNDREDTHS);
                long previous = 0;
                for (double v : values) {
                    long scaled = Math.round(v * 100);
                    zigzag(scaled - previous);
                    previous = scaled;
                }
            } else {
                write(DOUBLE_BITS);
                long previous = 0;
                for (double v : values) {
                    long bits = Double.doubleToRawLongBits(v);
                    varint(bits ^ previous); // neighbours share sign, exponent and leading digits: few bits differ
                    previous = bits;
                }
            }
        }
    }

    static final class In {
        private final byte[] bytes;
        private int position;

        In(byte[] bytes, int position) {
            this.bytes = bytes;
            this.position = position;
        }

        boolean atEnd() {
            return position >= bytes.length;
        }

        int read() {
            if (position >= bytes.length) {
                throw new IllegalStateException("a stored block is damaged: it ends too soon");
            }
            return bytes[position++] & 0xFF;
        }

        long varint() {
            long value = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                int b = read();
                value |= (long) (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    return value;
                }
            }
            throw new IllegalStateException("a stored block is damaged: a number is too long");
        }

        /** A count of things that follow, each at least a byte long: more than the bytes left is damage, not an allocation to try. */
        int count() {
            long n = varint();
            if (n > bytes.length - position + 1L) {
                throw new IllegalStateException("a stored block is damaged: it counts " + n + " items in " + (bytes.length - position) + " bytes");
            }
            return (int) n;
        }

        long zigzag() {
            long raw = varint();
            return (raw >>> 1) ^ -(raw & 1);
        }

        String string() {
            int length = Math.toIntExact(varint());
            if (length > bytes.length - position) {
                throw new IllegalStateException("a stored block is damaged: a name runs past its end");
            }
            String text = new String(bytes, position, length, StandardCharsets.UTF_8);
            position += length;
            return text;
        }

        long[] longs(int count) {
            int mode = read();
            long[] values = new long[count];
            long previous = 0;
            long previousDelta = 0;
            for (int i = 0; i < count; i++) {
                long d = mode == LONG_DELTA_OF_DELTA ? previousDelta + zigzag() : zigzag();
                values[i] = previous + d;
                previous = values[i];
                previousDelta = d;
            }
            return values;
        }

        double[] doubles(int count) {
            int mode = read();
            double[] values = new double[count];
            long previous = 0;
            for (int i = 0; i < count; i++) {
                if (mode == DOUBLE_HUNDREDTHS) {
                    previous += zigzag();
                    values[i] = previous / 100.0;
                } else {
                    previous ^= varint();
                    values[i] = Double.longBitsToDouble(previous);
                }
            }
            return values;
        }
    }
}

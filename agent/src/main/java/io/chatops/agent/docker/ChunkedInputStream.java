package io.chatops.agent.docker;

import java.io.IOException;
import java.io.InputStream;

/** Decodes an HTTP/1.1 chunked body ({@code size CRLF data CRLF … 0 CRLF CRLF}). */
final class ChunkedInputStream extends InputStream {
    private final InputStream in;
    private long leftInChunk;
    private boolean done;

    ChunkedInputStream(InputStream in) {
        this.in = in;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (done) {
            return -1;
        }
        if (leftInChunk == 0) {
            String sizeLine = DockerHttp.readLine(in);
            int extension = sizeLine.indexOf(';');
            String size = (extension < 0 ? sizeLine : sizeLine.substring(0, extension)).trim();
            try {
                leftInChunk = Long.parseLong(size, 16);
            } catch (NumberFormatException e) {
                throw new IOException("Docker sent a bad chunk size: " + sizeLine);
            }
            if (leftInChunk == 0) {
                done = true;
                return -1;
            }
        }
        int n = in.read(b, off, (int) Math.min(len, leftInChunk));
        if (n < 0) {
            throw new IOException("Docker closed the connection inside a chunk");
        }
        leftInChunk -= n;
        if (leftInChunk == 0) {
            DockerHttp.readLine(in); // the CRLF after each chunk
        }
        return n;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}

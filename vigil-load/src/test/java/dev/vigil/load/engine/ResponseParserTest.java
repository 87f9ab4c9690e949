package dev.vigil.load.engine;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ResponseParserTest {
    /** Records what the parser reports. */
    private static final class Recorder implements ResponseParser.Listener {
        final List<String> responses = new ArrayList<>();
        final Map<String, String> headers = new LinkedHashMap<>();
        final StringBuilder body = new StringBuilder();

        @Override public boolean wantsHeaders() { return true; }

        @Override public boolean wantsBody() { return true; }

        @Override public void onHeader(String name, String value) { headers.put(name, value); }

        @Override public void onBody(ByteBuf data, int index, int length) {
            body.append(data.toString(index, length, StandardCharsets.UTF_8));
        }

        @Override public void onResponse(int status, boolean keepAlive) {
            responses.add(status + (keepAlive ? " keep-alive " : " close ") + body);
            body.setLength(0);
        }
    }

    /** Feeds {@code text} in pieces of {@code step} bytes, keeping unread bytes as a real connection would. */
    private static Recorder feed(String text, int step) throws Exception {
        ResponseParser parser = new ResponseParser();
        Recorder r = new Recorder();
        ByteBuf cumulation = Unpooled.buffer();
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i += step) {
            cumulation.writeBytes(bytes, i, Math.min(step, bytes.length - i));
            parser.parse(cumulation, r);
            cumulation.discardReadBytes();
        }
        return r;
    }

    @Test
    void readsContentLengthBodiesWhateverTheReadBoundaries() throws Exception {
        String two = "HTTP/1.1 201 Created\r\nContent-Length: 5\r\nX-Token: abc\r\n\r\nhelloHTTP/1.1 404 Not Found\r\n"
                + "content-length: 0\r\n\r\n";
        for (int step : new int[]{1, 3, 7, 1000}) {
            Recorder r = feed(two, step);
            assertThat(r.responses).containsExactly("201 keep-alive hello", "404 keep-alive ");
            assertThat(r.headers).containsEntry("X-Token", "abc");
        }
    }

    @Test
    void readsChunkedBodiesWithExtensionsAndTrailers() throws Exception {
        String chunked = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4;ext=1\r\nWiki\r\n5\r\npedia\r\n"
                + "0\r\nX-Trailer: t\r\n\r\n";
        for (int step : new int[]{1, 5, 1000}) {
            assertThat(feed(chunked, step).responses).containsExactly("200 keep-alive Wikipedia");
        }
    }

    @Test
    void skipsInterimResponsesAndHonoursConnectionClose() throws Exception {
        Recorder r = feed("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok", 4);
        assertThat(r.responses).containsExactly("200 close ok");
        Recorder http10 = feed("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n", 100);
        assertThat(http10.responses).containsExactly("200 close ");
        Recorder noBody = feed("HTTP/1.1 204 No Content\r\n\r\n", 100);
        assertThat(noBody.responses).containsExactly("204 keep-alive ");
    }

    @Test
    void aBodyWithoutLengthEndsWhenTheConnectionCloses() throws Exception {
        ResponseParser parser = new ResponseParser();
        Recorder r = new Recorder();
        parser.parse(Unpooled.copiedBuffer("HTTP/1.1 200 OK\r\n\r\nall of it", StandardCharsets.UTF_8), r);
        assertThat(r.responses).isEmpty();
        assertThat(parser.closed(r)).isTrue();
        assertThat(r.responses).containsExactly("200 close all of it");
    }

    @Test
    void rejectsWhatIsNotHttp() {
        assertThatThrownBy(() -> feed("SSH-2.0-OpenSSH\r\n", 100)).isInstanceOf(ResponseParser.MalformedResponse.class);
        assertThatThrownBy(() -> feed("HTTP/1.1 200 OK\r\nContent-Length: x\r\n\r\n", 100))
                .hasMessageContaining("Content-Length");
        ResponseParser parser = new ResponseParser();
        assertThatThrownBy(() -> {
            parser.parse(Unpooled.copiedBuffer("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc", StandardCharsets.UTF_8),
                    new Recorder());
            parser.closed(new Recorder());
        }).hasMessageContaining("mid-response");
    }
}

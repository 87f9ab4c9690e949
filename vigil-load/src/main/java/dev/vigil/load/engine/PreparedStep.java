package dev.vigil.load.engine;

import dev.vigil.load.scenario.Body;
import dev.vigil.load.scenario.Step;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;

/**
 * A step ready to send: renders and encodes its HTTP/1.1 request straight into a buffer. A step without
 * placeholders is encoded once, up front; sending it copies bytes and allocates nothing else.
 */
final class PreparedStep {
    final Step step;
    final StepMetrics metrics;
    final long timeoutNanos;
    final long thinkNanos;
    final boolean needsBody;
    final boolean needsHeaders;
    private final String pathPrefix;
    private final String hostHeader;
    private final byte[] constantRequest; // null when anything is templated
    private final String constantPath;    // the path (no query) as recorded for SLOs, when constant

    PreparedStep(Step step, StepMetrics metrics, String hostHeader, String pathPrefix) {
        this.step = step;
        this.metrics = metrics;
        this.hostHeader = hostHeader;
        this.pathPrefix = pathPrefix;
        this.timeoutNanos = step.timeout().toNanos();
        this.thinkNanos = step.think().toNanos();
        this.needsBody = step.needsBody();
        this.needsHeaders = step.captures().stream()
                .anyMatch(c -> c.source() instanceof dev.vigil.load.scenario.Capture.Header);
        boolean constant = step.path().isConstant()
                && step.query().stream().allMatch(q -> q.value().isConstant())
                && step.headers().stream().allMatch(h -> h.value().isConstant())
                && switch (step.body()) {
                    case Body.None n -> true;
                    case Body.Json j -> j.template().isConstant();
                    case Body.Raw r -> r.template().isConstant();
                };
        if (constant) {
            String[] path = new String[1];
            this.constantRequest = render(name -> null, path).getBytes(StandardCharsets.UTF_8);
            this.constantPath = path[0];
        } else {
            this.constantRequest = null;
            this.constantPath = null;
        }
    }

    boolean pathConstant() { return step.path().isConstant(); }

    /**
     * Encodes the request for {@code vars} and returns it; {@code pathOut[0]} receives the rendered path without
     * query, which is what SLO route patterns match.
     */
    ByteBuf encode(ByteBufAllocator alloc, Function<String, String> vars, String[] pathOut) {
        if (constantRequest != null) {
            pathOut[0] = constantPath;
            ByteBuf buf = alloc.buffer(constantRequest.length);
            return buf.writeBytes(constantRequest);
        }
        String request = render(vars, pathOut);
        ByteBuf buf = alloc.buffer(request.length() + 16);
        ByteBufUtil.writeUtf8(buf, request);
        return buf;
    }

    private String render(Function<String, String> vars, String[] pathOut) {
        String path = step.path().render(vars);
        if (!path.startsWith("/")) path = "/" + path;
        path = pathPrefix + path;
        int q = path.indexOf('?');
        pathOut[0] = q < 0 ? path : path.substring(0, q);
        StringBuilder target = new StringBuilder(path);
        char sep = q < 0 ? '?' : '&';
        for (Step.NameValue p : step.query()) {
            target.append(sep).append(URLEncoder.encode(p.name(), StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(p.value().render(vars), StandardCharsets.UTF_8));
            sep = '&';
        }
        String body = switch (step.body()) {
            case Body.None n -> null;
            case Body.Json j -> j.template().render(vars);
            case Body.Raw r -> r.template().render(vars);
        };
        StringBuilder out = new StringBuilder(128 + (body == null ? 0 : body.length()));
        out.append(step.method()).append(' ').append(target).append(" HTTP/1.1\r\n");
        out.append("Host: ").append(hostHeader).append("\r\n");
        boolean userAgent = false;
        boolean contentType = false;
        for (Step.NameValue h : step.headers()) {
            out.append(h.name()).append(": ").append(h.value().render(vars)).append("\r\n");
            userAgent |= h.name().equalsIgnoreCase("User-Agent");
            contentType |= h.name().equalsIgnoreCase("Content-Type");
        }
        if (!userAgent) out.append("User-Agent: vigil/").append(dev.vigil.load.RunResult.VERSION).append("\r\n");
        if (body != null) {
            if (!contentType) {
                out.append("Content-Type: ").append(step.body() instanceof Body.Json
                        ? "application/json" : "text/plain; charset=utf-8").append("\r\n");
            }
            out.append("Content-Length: ").append(body.getBytes(StandardCharsets.UTF_8).length).append("\r\n\r\n");
            out.append(body);
        } else {
            if (!step.method().equals("GET") && !step.method().equals("DELETE")) out.append("Content-Length: 0\r\n");
            out.append("\r\n");
        }
        return out.toString();
    }
}

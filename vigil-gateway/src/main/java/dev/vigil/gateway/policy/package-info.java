/**
 * Edge policies as transport-independent engines: request facts in, a decision out.
 *
 * <p>{@link dev.vigil.gateway.policy.PolicyEngines#create} builds them over one state backend
 * ({@link dev.vigil.gateway.policy.state.StateConfig}: embedded or Redis). Each engine is called by
 * one thin pipeline stage, in the order the gateway composes them. No Netty type appears in these
 * APIs; bodies are {@code byte[]}; every error is an RFC 9457 {@link dev.vigil.gateway.policy.Problem}
 * (send {@code problem.status()}, {@code Content-Type: application/problem+json}, {@code problem.toJson()}).
 *
 * <pre>{@code
 * // 1. tenant stage
 * Optional<Tenant> t = tenants.resolve(headers.get(tenants.keyHeader()), clientAddress);
 * if (t.isEmpty()) reply(tenants.unauthorized(keySent));                       // 401
 *
 * // 2. rate-limit stage (async: Redis is one round trip)
 * limiter.decide(tenant.id(), tenant.plan().name(), route).thenAccept(d -> {
 *     List<Header> fields = RateLimitHttp.responseHeaders(d);   // add to the response, whatever its status
 *     if (d.allowed()) forward(); else reply(RateLimitHttp.problem(d), fields);   // 429 (or 503 fail-closed)
 * });
 *
 * // 3. idempotency stage (POST/PUT/PATCH on routes with a mode; needs the body's SHA-256)
 * engine.begin(IdempotencyRequest.of(tenant.id(), route, method, target,
 *         IdempotencyRequest.keyFrom(headers::get), body), routeConfig).thenAccept(d -> {
 *     switch (d) {
 *         case Bypass b  -> forward();
 *         case Proceed p -> forward(onResponse -> p.ticket().complete(status, headers, body),
 *                                   onNeverSent -> p.ticket().release());
 *         case Replay r  -> reply(r.response().status(), r.response().replayHeaders(), r.response().body());
 *         case Reject r  -> reply(r.problem());                                 // 400 / 409 / 422 / 503
 *     }
 * });
 *
 * // 4. cache stage (routes with a cache; the supplier fetches a complete response)
 * cache.handle(new CacheRequest(method, host, path, query, tenant.id(), headers::get), routeCache,
 *              () -> proxy.fetchBuffered(request)).thenAccept(o -> {
 *     reply(o.response());                         // carries X-Cache (and Age when cached)
 *     slo.record(..., o.result(), ...);
 * });
 * }</pre>
 *
 * <p>Metrics to export: {@code RedisState.failures()/outages()/available()},
 * {@code IdempotencyEngine.storeFailures()}, {@code ResponseCache.upstreamFetches()/weightedSize()},
 * {@code RedisCacheL2.errors()}; 429s per tenant are counted by the rate-limit stage.
 */
package dev.vigil.gateway.policy;

package dev.opskit.s3.internal;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.utils.builder.SdkBuilder;

/**
 * An {@link S3Client} in front of a real one, for tests: it records every request a store sends (the forms that take
 * a builder consumer are turned into their request forms first) and lets a test run code before a kind of request
 * goes on, to fail it or to change the bucket under it. The requests still go over HTTP to the real server.
 */
final class InterceptingS3Client {
  /** Runs before a request of some kind; it may throw to fail the request, or let it go on. */
  @FunctionalInterface
  interface Before {
    void run(SdkRequest request, int call);
  }

  private final S3Client real;
  private final List<SdkRequest> requests = java.util.Collections.synchronizedList(new ArrayList<>());
  private final Map<String, Before> before = new ConcurrentHashMap<>();
  private final Map<String, java.util.concurrent.atomic.AtomicInteger> calls = new ConcurrentHashMap<>();

  InterceptingS3Client(S3Client real) {
    this.real = real;
  }

  /** The client to hand to the store. */
  S3Client client() {
    return (S3Client) Proxy.newProxyInstance(S3Client.class.getClassLoader(), new Class<?>[] {S3Client.class},
        (proxy, method, args) -> handle(method, args));
  }

  /** Runs code before every request of a kind, named by the client's method, for example {@code "uploadPartCopy"}. */
  void before(String method, Before action) {
    before.put(method, action);
  }

  /** The requests sent so far of a type. */
  <T extends SdkRequest> List<T> sent(Class<T> type) {
    synchronized (requests) {
      return requests.stream().filter(type::isInstance).map(type::cast).toList();
    }
  }

  /** Forgets the requests sent so far. */
  void clear() {
    requests.clear();
  }

  private Object handle(Method method, Object[] args) throws Throwable {
    if (args != null && args.length >= 1 && args[0] instanceof Consumer<?> consumer) {
      Method target = requestForm(method);
      @SuppressWarnings("unchecked")
      Consumer<Object> fill = (Consumer<Object>) consumer;
      Object builder = target.getParameterTypes()[0].getMethod("builder").invoke(null);
      fill.accept(builder);
      Object[] converted = args.clone();
      converted[0] = ((SdkBuilder<?, ?>) builder).build();
      return handle(target, converted);
    }
    if (args != null && args.length >= 1 && args[0] instanceof SdkRequest request) {
      requests.add(request);
      Before action = before.get(method.getName());
      if (action != null) {
        action.run(request, calls.computeIfAbsent(method.getName(),
            k -> new java.util.concurrent.atomic.AtomicInteger()).incrementAndGet());
      }
    }
    try {
      return method.invoke(real, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  private static Method requestForm(Method consumerForm) {
    return Arrays.stream(S3Client.class.getMethods())
        .filter(m -> m.getName().equals(consumerForm.getName())
            && m.getParameterCount() == consumerForm.getParameterCount()
            && SdkRequest.class.isAssignableFrom(m.getParameterTypes()[0])
            && Arrays.equals(m.getParameterTypes(), 1, m.getParameterCount(), consumerForm.getParameterTypes(), 1,
                m.getParameterCount()))
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("no request form of S3Client." + consumerForm.getName()));
  }
}

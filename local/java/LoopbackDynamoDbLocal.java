import java.io.IOException;
import java.lang.reflect.Field;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import software.amazon.dynamodb.services.local.main.ServerRunner;
import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;

/**
 * Starts AWS's DynamoDB Local as its own main class does (same arguments: -port, -dbPath, -inMemory, -sharedDb,
 * -disableTelemetry), with two differences that matter on a developer's machine:
 *
 * <ul>
 *   <li>It listens on 127.0.0.1 only. The jar has no option for the address and binds every interface, and DynamoDB
 *       Local authenticates nobody, so anyone on the same network could read and change the incident data. Its
 *       embedded Jetty server is rebound before it starts; if that is not possible it refuses to start.</li>
 *   <li>It exits when the process that started it goes away: the parent holds this process's standard input open,
 *       and end-of-file means the parent died (even by SIGKILL), so no orphaned JVM keeps holding the data folder.</li>
 * </ul>
 *
 * local/dynamodb-local.ts compiles this file once (it needs the JDK's compiler module) and runs it.
 */
public final class LoopbackDynamoDbLocal {
  private static final String LOOPBACK = "127.0.0.1";

  public static void main(String[] args) throws Exception {
    DynamoDBProxyServer proxy = ServerRunner.createServerFromCommandLineArgs(args);
    bindToLoopback(proxy);
    exitWhenParentGoes(proxy);
    try {
      proxy.start();
    } catch (Exception e) {
      // Jetty's threads would keep the JVM alive without a server (a port in use, say): fail visibly instead.
      System.err.println("DynamoDB Local could not start: " + e);
      System.exit(1);
    }
    System.out.println("DynamoDB Local listening on " + LOOPBACK);
  }

  private static void bindToLoopback(DynamoDBProxyServer proxy) throws ReflectiveOperationException {
    Field field = DynamoDBProxyServer.class.getDeclaredField("server");
    field.setAccessible(true);
    Server server = (Server) field.get(proxy);
    Connector[] connectors = server.getConnectors();
    if (connectors.length == 0) throw new IllegalStateException("DynamoDB Local has no connector to bind to " + LOOPBACK);
    for (Connector connector : connectors) {
      if (!(connector instanceof ServerConnector))
        throw new IllegalStateException("Cannot bind " + connector + " to " + LOOPBACK + "; refusing to listen on every interface");
      ((ServerConnector) connector).setHost(LOOPBACK);
    }
  }

  private static void exitWhenParentGoes(DynamoDBProxyServer proxy) {
    Thread watcher =
        new Thread(
            () -> {
              try {
                while (System.in.read() != -1) {
                  // The parent writes nothing; reading only waits for end-of-file.
                }
              } catch (IOException ignored) {
                // A broken pipe is the parent going away as well.
              }
              try {
                proxy.stop();
              } catch (Exception ignored) {
                // Exiting anyway.
              }
              System.exit(0);
            },
            "parent-watch");
    watcher.setDaemon(true);
    watcher.start();
  }
}

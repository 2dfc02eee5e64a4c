import java.io.IOException;
import java.lang.reflect.Field;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import software.amazon.awssdk.services.dynamodb.model.ExecuteTransactionRequest;
import software.amazon.awssdk.services.dynamodb.model.ExecuteTransactionResponse;
import software.amazon.awssdk.services.dynamodb.model.ListTablesRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsResponse;
import software.amazon.dynamodb.services.local.main.CommandLineInput;
import software.amazon.dynamodb.services.local.main.ServerRunner;
import software.amazon.dynamodb.services.local.monitoring.Telemetry;
import software.amazon.dynamodb.services.local.monitoring.TelemetryUtil;
import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;
import software.amazon.dynamodb.services.local.server.LocalDynamoDBRequestHandler;
import software.amazon.dynamodb.services.local.server.LocalDynamoDBServerHandler;

/**
 * Starts AWS's DynamoDB Local as its own main class does (same arguments: -port, -dbPath, -inMemory, -sharedDb,
 * -disableTelemetry, -cors, -delayTransientStatuses), with three differences that matter on a developer's machine:
 *
 * <ul>
 *   <li>It listens on 127.0.0.1 only. The jar has no option for the address and binds every interface, and DynamoDB
 *       Local authenticates nobody, so anyone on the same network could read and change the incident data. Its
 *       embedded Jetty server is rebound before it starts; if that is not possible it refuses to start.</li>
 *   <li>It exits when the process that started it goes away: the parent holds this process's standard input open,
 *       and end-of-file means the parent died (even by SIGKILL), so no orphaned JVM keeps holding the data folder.</li>
 *   <li>A transaction is answered only once it is committed. DynamoDB Local answers TransactWriteItems (and PartiQL's
 *       ExecuteTransaction) as soon as its COMMIT is queued for the SQLite thread, without waiting for it to run
 *       (SQLiteDBAccess.commitTransaction drops the queued job), so a JVM killed in that moment loses a write the
 *       caller was told had succeeded. The queue runs its jobs in order, so one read sent through it after the
 *       transaction returns once the COMMIT is done.</li>
 * </ul>
 *
 * local/dynamodb-local.ts compiles this file once (it needs the JDK's compiler module) and runs it.
 */
public final class LoopbackDynamoDbLocal {
  private static final String LOOPBACK = "127.0.0.1";

  public static void main(String[] args) throws Exception {
    DynamoDBProxyServer proxy = createServer(args);
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

  /** ServerRunner.createServer with the request handler below in place of DynamoDB Local's own. */
  private static DynamoDBProxyServer createServer(String[] args) throws Exception {
    CommandLineInput input = new CommandLineInput(args);
    if (!input.init()) throw new IllegalArgumentException("Invalid DynamoDB Local arguments");
    if (input.shouldOptimizeDBBeforeStartup())
      throw new IllegalArgumentException("-optimizeDbBeforeStartup is not supported by this launcher");
    try {
      Telemetry.configureTelemetry(
          TelemetryUtil.SETUP_TYPE.MAVEN.name(),
          ServerRunner.getSetupMode(input),
          TelemetryUtil.isTelemetryEnabled(input.isDisableTelemetry()));
    } catch (Exception e) {
      // As DynamoDB Local itself does: telemetry is never a reason not to start.
    }
    LocalDynamoDBRequestHandler requests =
        new CommittedTransactionsHandler(
            input.isInMemory(), input.getDbPath(), input.getSharedDb(), input.shouldDelayTransientStatuses());
    return new DynamoDBProxyServer(input.getPort(), new LocalDynamoDBServerHandler(requests, input.getCorsParams()));
  }

  /** Answers a transaction once SQLite has run its COMMIT, not when the COMMIT is only queued. */
  static final class CommittedTransactionsHandler extends LocalDynamoDBRequestHandler {
    private static final ListTablesRequest ONE_TABLE = ListTablesRequest.builder().limit(1).build();

    CommittedTransactionsHandler(boolean inMemory, String dbPath, boolean sharedDb, boolean delayTransientStatuses)
        throws Exception {
      super(0, inMemory, dbPath, sharedDb, delayTransientStatuses);
    }

    @Override
    public TransactWriteItemsResponse transactWriteItems(
        String accessKey, String region, TransactWriteItemsRequest request) {
      TransactWriteItemsResponse response = super.transactWriteItems(accessKey, region, request);
      waitForQueuedCommit(accessKey, region);
      return response;
    }

    @Override
    public ExecuteTransactionResponse executeTransaction(
        String accessKey, String region, ExecuteTransactionRequest request) {
      ExecuteTransactionResponse response = super.executeTransaction(accessKey, region, request);
      waitForQueuedCommit(accessKey, region);
      return response;
    }

    /** ListTables reads through the same SQLite queue, behind the COMMIT, and waits for its answer. */
    private void waitForQueuedCommit(String accessKey, String region) {
      listTables(accessKey, region, ONE_TABLE);
    }
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

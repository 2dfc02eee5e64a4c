import com.almworks.sqlite4java.SQLiteConnection;
import com.almworks.sqlite4java.SQLiteException;
import com.almworks.sqlite4java.SQLiteJob;
import com.almworks.sqlite4java.SQLiteQueue;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
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
import software.amazon.dynamodb.services.local.shared.access.LocalDBClient;
import software.amazon.dynamodb.services.local.shared.access.sqlite.SQLiteDBAccess;

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
 *   <li>Writes and stream reads cost the same however many changes the database has seen. DynamoDB Local keeps every
 *       table's stream records in one SQLite table (`us`) keyed by sequence number only, and looks records up by
 *       stream or shard: every write that adds a stream record runs `MIN(SequenceNumber) ... WHERE StreamID = ?`, and
 *       each GetShardIterator and GetRecords runs `... WHERE ShardID = ?`. Both read that whole table, records of
 *       deleted tables included, so every write and every idle stream poll grew slower as changes piled up
 *       (bench/stream-read-cost.ts). One index on StreamID and one on ShardID answer them directly; SQLite keeps the
 *       rowid (the sequence number) in each, so "this shard from this sequence number on" is a range of the second.
 *       (Its SQLite, 3.8.7, does not use an index on (ShardID, SequenceNumber) for that range.) They are created if
 *       missing, so a data folder keeps them.</li>
 * </ul>
 *
 * local/dynamodb-local.ts compiles this file once (it needs the JDK's compiler module) and runs it.
 */
public final class LoopbackDynamoDbLocal {
  private static final String LOOPBACK = "127.0.0.1";

  public static void main(String[] args) {
    try {
      DynamoDBProxyServer proxy = createServer(args);
      bindToLoopback(proxy);
      exitWhenParentGoes(proxy);
      proxy.start();
    } catch (Exception e) {
      // DynamoDB Local's threads (its SQLite queue, its jobs, Jetty's) would keep the JVM alive without a server (a
      // port in use, a statement that failed): fail visibly instead, so the caller sees the cause at once.
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
    if (!input.getSharedDb()) throw new IllegalArgumentException("This launcher runs DynamoDB Local with -sharedDb only");
    LocalDynamoDBRequestHandler requests =
        new CommittedTransactionsHandler(
            input.isInMemory(), input.getDbPath(), input.getSharedDb(), input.shouldDelayTransientStatuses());
    indexStreamRecords(requests);
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

  private static final String[] STREAM_RECORD_INDEXES = {
    "CREATE INDEX IF NOT EXISTS us_by_stream ON us (StreamID)", "CREATE INDEX IF NOT EXISTS us_by_shard ON us (ShardID)"
  };

  /**
   * Adds the indexes on stream records to the shared database, through DynamoDB Local's own SQLite queue (the
   * one connection that may touch it; an in-memory database has no other). Reflection reaches the queue: DynamoDB
   * Local has no option for it.
   */
  private static void indexStreamRecords(LocalDynamoDBRequestHandler requests) throws Exception {
    Method sharedDatabase = LocalDynamoDBRequestHandler.class.getDeclaredMethod("getHandler", String.class);
    sharedDatabase.setAccessible(true);
    LocalDBClient client = (LocalDBClient) sharedDatabase.invoke(requests, "shared-local-instance");
    Field dbAccess = LocalDBClient.class.getDeclaredField("dbAccess");
    dbAccess.setAccessible(true);
    Field queueField = SQLiteDBAccess.class.getDeclaredField("queue");
    queueField.setAccessible(true);
    SQLiteQueue queue = (SQLiteQueue) queueField.get(dbAccess.get(client));
    queue
        .execute(
            new SQLiteJob<Void>() {
              @Override
              protected Void job(SQLiteConnection connection) throws SQLiteException {
                for (String index : STREAM_RECORD_INDEXES) connection.exec(index);
                return null;
              }
            })
        // get(), not complete(): a statement that fails stops the start with its cause instead of going unnoticed.
        .get();
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

package dev.aide.connect;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlClient;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A kind of account another feature connects through /accounts (mail over IMAP/SMTP): this package keeps the rows,
 * the sealed password, the limits and the API; the kind reads its request, tries the credentials, stores its own
 * settings beside the account in the same transaction, syncs it and cleans up after it.
 */
public interface AccountKind {

  /** What a request to connect reads as: the account's URL and username, its password, and the kind's settings. */
  record Link(String url, String username, String password, JsonObject settings) {
    @Override
    public String toString() {
      return "Link[url=" + url + ", username=" + username + "]";
    }
  }

  /** The value of {@code kind} in a request, e.g. "imap". */
  String kind();

  /** The request's fields besides {@code kind}; any other is refused. */
  List<String> fields();

  /**
   * Reads and checks the request's body (its strings already held to the API's character rule, its fields to
   * {@link #fields()}); a domain error when it breaks a rule. Nothing is tried or stored yet.
   */
  Link read(JsonObject body);

  /** Tries the credentials against the servers; fails with {@link AccountFailure} when they do not work. */
  Future<Void> tryLink(UUID userId, Link link);

  /** Stores what the kind keeps about the account and schedules its work, in the account's transaction. */
  Future<Void> linked(SqlClient tx, UUID userId, UUID accountId, Link link);

  /** What the API shows about these accounts of the kind beside their common fields (never a secret). */
  Future<Map<UUID, JsonObject>> details(UUID userId, List<UUID> accountIds);

  /** Syncs (polls) the account now; what it did, for the API. */
  Future<JsonObject> syncNow(UUID userId, UUID accountId);

  /** The account is being deleted (in this transaction): the kind stops its work. Called for every kind. */
  Future<Void> unlinked(SqlClient tx, UUID userId, UUID accountId);
}

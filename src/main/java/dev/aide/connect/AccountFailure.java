package dev.aide.connect;

/**
 * An account's server could not be used, for a feature other than CalDAV (mail): the refusal code of a connection
 * (account_unauthorized, account_unreachable, account_tls, account_protocol, account_address_refused) and words a
 * person reads on their account. Never a password.
 */
public final class AccountFailure extends RuntimeException {

  public static final String UNAUTHORIZED = "account_unauthorized";
  public static final String UNREACHABLE = "account_unreachable";
  public static final String TLS = "account_tls";
  public static final String PROTOCOL = "account_protocol";
  public static final String REFUSED_ADDRESS = "account_address_refused";

  private final String code;

  public AccountFailure(String code, String message) {
    super(message, null, false, false);
    this.code = code;
  }

  public String code() {
    return code;
  }
}

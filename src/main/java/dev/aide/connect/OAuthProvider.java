package dev.aide.connect;

import dev.aide.platform.config.AideConfig;
import io.vertx.core.Vertx;
import io.vertx.ext.auth.oauth2.OAuth2Auth;
import io.vertx.ext.auth.oauth2.OAuth2FlowType;
import io.vertx.ext.auth.oauth2.OAuth2Options;
import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * One OAuth 2.0 provider of calendar accounts (Google, Microsoft): its client from the configuration, as a
 * vertx-auth-oauth2 provider with the endpoints set one by one (so a test points them at fakes), the scopes Aide asks
 * for and the calendar API's base URL. Off (no {@code auth}) when its client id is not configured. Mail (IMAP and SMTP
 * with XOAUTH2) takes the scopes {@code mailScopes} more; {@code mailResource}: the mail servers take a token of their
 * own resource (Microsoft: Outlook, not Graph), asked with the refresh token and these scopes.
 */
record OAuthProvider(String kind, String label, OAuth2Auth auth, List<String> scopes, Map<String, String> extra,
                     URI api, boolean revokes, String clientVariable, List<String> mailScopes, boolean mailResource,
                     AideConfig.OAuthClient client) {

  static final List<String> KINDS = List.of("google", "microsoft");

  static OAuthProvider google(Vertx vertx, AideConfig.OAuthClient client) {
    // access_type=offline and prompt=consent: Google gives a refresh token only so, and only on a consent screen.
    return new OAuthProvider("google", "Google", auth(vertx, client),
        List.of("https://www.googleapis.com/auth/calendar"),
        Map.of("access_type", "offline", "prompt", "consent", "include_granted_scopes", "true"), client.apiUrl(),
        client.revokeUrl() != null, "AIDE_GOOGLE_CLIENT_ID", List.of("https://mail.google.com/"), false, client);
  }

  static OAuthProvider microsoft(Vertx vertx, AideConfig.OAuthClient client) {
    // offline_access brings a refresh token; the Microsoft identity platform has no token revocation endpoint.
    return new OAuthProvider("microsoft", "Microsoft", auth(vertx, client),
        List.of("offline_access", "https://graph.microsoft.com/User.Read",
            "https://graph.microsoft.com/Calendars.ReadWrite"), Map.of(), client.apiUrl(), false,
        "AIDE_MICROSOFT_CLIENT_ID", List.of("https://outlook.office.com/IMAP.AccessAsUser.All",
            "https://outlook.office.com/SMTP.Send"), true, client);
  }

  private static OAuth2Auth auth(Vertx vertx, AideConfig.OAuthClient client) {
    if (!client.enabled()) {
      return null;
    }
    OAuth2Options options = new OAuth2Options()
        .setSupportedGrantTypes(List.of(OAuth2FlowType.AUTH_CODE.getGrantType(), "refresh_token"))
        .setClientId(client.clientId()).setClientSecret(client.clientSecret())
        .setSite("")
        .setAuthorizationPath(client.authorizeUrl().toString())
        .setTokenPath(client.tokenUrl().toString())
        .setScopeSeparator(" ")
        .setUserAgent("Aide");
    if (client.revokeUrl() != null) {
      options.setRevocationPath(client.revokeUrl().toString());
    }
    return OAuth2Auth.create(vertx, options);
  }

  boolean enabled() {
    return auth != null;
  }
}

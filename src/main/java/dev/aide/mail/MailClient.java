package dev.aide.mail;

import dev.aide.connect.AccountFailure;
import dev.aide.connect.LinkedAccounts.Login;
import dev.aide.connect.ServerAddresses;
import jakarta.mail.Address;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.FetchProfile;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Service;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.Transport;
import jakarta.mail.UIDFolder;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeUtility;
import jakarta.mail.search.AndTerm;
import jakarta.mail.search.BodyTerm;
import jakarta.mail.search.FlagTerm;
import jakarta.mail.search.HeaderTerm;
import jakarta.mail.search.OrTerm;
import jakarta.mail.search.SearchException;
import jakarta.mail.search.SearchTerm;
import jakarta.mail.search.SubjectTerm;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import javax.net.SocketFactory;
import javax.net.ssl.SSLException;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.protocol.MessageSet;
import org.eclipse.angus.mail.smtp.SMTPTransport;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;

/**
 * The IMAP and SMTP conversations of a mail account, with Jakarta Mail (Eclipse Angus). Every method blocks: it runs
 * on a worker thread, never an event loop. Each connects to the address {@link ServerAddresses} checked (the socket
 * goes there whatever the name resolves to later), with connect and read timeouts, and closes what it opened. The
 * INBOX is only ever opened read-only, so reading a mail leaves it unread. Errors are {@link AccountFailure}s whose
 * words name the server, never the password.
 */
final class MailClient {

  /** Unread mails whose envelopes a summary looks at (the newest). */
  static final int SCANNED = 2000;
  /** Sent mails whose recipients count as the person's correspondents (the newest). */
  static final int SENT_SCANNED = 500;
  /** Bytes of a mail's text read at most: a 20 MB mail is not loaded whole. */
  static final int MAX_TEXT_BYTES = 256 * 1024;
  /** New mails one poll looks at, at most (the newest). */
  static final int POLLED = 200;
  private static final List<String> SENT_NAMES = List.of("Sent", "Sent Items", "Sent Messages", "Sent Mail",
      "INBOX.Sent", "INBOX/Sent", "[Gmail]/Sent Mail");

  private final ServerAddresses addresses;
  private final Duration timeout;

  MailClient(ServerAddresses addresses, Duration timeout) {
    this.addresses = addresses;
    this.timeout = timeout;
  }

  /** A mail as a list shows it; {@code id} names it for the tools (account, UIDVALIDITY, UID). */
  record Envelope(String id, long uid, String from, String fromAddress, String subject, Instant date,
                  boolean correspondent, boolean unread) {}

  /** Unread mail: how many, how many from correspondents, and the envelopes ranked. */
  record Summary(int unread, int fromCorrespondents, List<Envelope> ranked, int roundTrips) {}

  /** One mail read: its envelope, who it went to, its text (capped), and what a reply needs. */
  record Mail(Envelope envelope, String to, String text, boolean truncated, String messageId, String references,
              String replyTo) {}

  /** A mail to send: the Message-ID was fixed when the person saw the draft. */
  record Outgoing(String from, List<String> to, List<String> cc, String subject, String body, String messageId,
                  String inReplyTo, String references) {}

  /** What a poll found: where the INBOX stands, the new unread mail, whether the UIDs started over. */
  record Poll(long uidValidity, long lastUid, List<Envelope> unread, boolean restarted) {}

  // ---- connecting --------------------------------------------------------------------------------------------

  /** Logs in to IMAP and authenticates to SMTP; both must work. */
  void verify(MailSettings s, String username, String password) {
    Counter counter = new Counter();
    try (Store store = imap(s, username, password, counter)) {
      store.getFolder("INBOX").exists();
    } catch (MessagingException e) {
      throw failure("IMAP", s.imap(), e);
    }
    try (Transport transport = smtp(s, username, password)) {
      if (!((SMTPTransport) transport).supportsExtension("AUTH")) {
        throw new AccountFailure(AccountFailure.PROTOCOL, "the SMTP server " + s.smtp().host() + ":"
            + s.smtp().port() + " offers no login (AUTH), so Aide could not check the password there");
      }
    } catch (MessagingException e) {
      throw failure("SMTP", s.smtp(), e);
    }
  }

  private Store imap(MailSettings s, String username, String password, Counter counter) throws MessagingException {
    Properties p = properties("imap", s.imap(), counter);
    if (s.xoauth2()) {
      // SASL XOAUTH2 (Google's and Microsoft's IMAP): the password given to connect is the OAuth access token.
      p.put("mail.imap.auth.mechanisms", "XOAUTH2");
    }
    Session session = Session.getInstance(p);
    return signIn(s, "IMAP", s.imap(), () -> session.getStore("imap"), username, password);
  }

  private Transport smtp(MailSettings s, String username, String password) throws MessagingException {
    Properties p = properties("smtp", s.smtp(), new Counter());
    p.put("mail.smtp.auth", "true");
    if (s.xoauth2()) {
      p.put("mail.smtp.auth.mechanisms", "XOAUTH2");
    }
    Session session = Session.getInstance(p);
    return signIn(s, "SMTP", s.smtp(), () -> session.getTransport("smtp"), username, password);
  }

  /** Makes a store or transport of the session, not yet connected. */
  private interface Opening<T extends Service> {
    T open() throws MessagingException;
  }

  /**
   * Connects a new store or transport. With XOAUTH2 a token the server refuses (revoked, replaced: ended early) is
   * renewed once and tried again on a new one; refused again, the account's access is refused.
   */
  private static <T extends Service> T signIn(MailSettings s, String protocol, MailSettings.Server server,
                                              Opening<T> opening, String username, String password)
      throws MessagingException {
    T service = opening.open();
    try {
      service.connect(server.host(), server.port(), username, password);
      return service;
    } catch (AuthenticationFailedException e) {
      if (!s.xoauth2()) {
        throw e;
      }
    }
    T again = opening.open();
    try {
      again.connect(server.host(), server.port(), username, s.renewal().renewed());
      return again;
    } catch (AuthenticationFailedException refused) {
      throw tokenRefused(protocol, server);
    }
  }

  private static AccountFailure tokenRefused(String protocol, MailSettings.Server server) {
    return new AccountFailure(AccountFailure.UNAUTHORIZED, "the " + protocol + " server " + server.host() + ":"
        + server.port() + " refused Aide's access token, even a new one; connect the account again");
  }

  /** The session's settings: timeouts, the security asked for, and sockets to the checked address only. */
  private Properties properties(String protocol, MailSettings.Server server, Counter counter) {
    InetAddress address = addresses.checked(server.host());
    if (server.security().equals("plain") && !address.isLoopbackAddress()) {
      throw new AccountFailure(AccountFailure.TLS, server.host() + " is not this machine: only ssl or starttls");
    }
    String prefix = "mail." + protocol + ".";
    String millis = String.valueOf(timeout.toMillis());
    Properties p = new Properties();
    p.put(prefix + "connectiontimeout", millis);
    p.put(prefix + "timeout", millis);
    p.put(prefix + "ssl.checkserveridentity", "true");
    SocketFactory pinned = new PinnedSockets(address, counter);
    switch (server.security()) {
      case "ssl" -> {
        p.put(prefix + "ssl.enable", "true");
        // A plain factory here gives the socket; Jakarta Mail puts TLS over it, checking the server's name.
        p.put(prefix + "ssl.socketFactory", pinned);
      }
      case "starttls" -> {
        p.put(prefix + "starttls.enable", "true");
        p.put(prefix + "starttls.required", "true");
        p.put(prefix + "socketFactory", pinned);
      }
      default -> p.put(prefix + "socketFactory", pinned);
    }
    return p;
  }

  /** Counts commands sent (each is flushed once): the IMAP round trips of a summary, for the benchmark. */
  static final class Counter {
    final AtomicInteger flushes = new AtomicInteger();
  }

  /** Sockets that connect to one checked address, whatever address they are asked for (the port is kept). */
  private static final class PinnedSockets extends SocketFactory {
    private final InetAddress address;
    private final Counter counter;

    PinnedSockets(InetAddress address, Counter counter) {
      this.address = address;
      this.counter = counter;
    }

    @Override
    public Socket createSocket() {
      return new Socket() {
        @Override
        public void connect(SocketAddress endpoint, int timeout) throws IOException {
          super.connect(new InetSocketAddress(address, ((InetSocketAddress) endpoint).getPort()), timeout);
        }

        @Override
        public OutputStream getOutputStream() throws IOException {
          return new FilterOutputStream(super.getOutputStream()) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
              out.write(b, off, len);
            }

            @Override
            public void flush() throws IOException {
              counter.flushes.incrementAndGet();
              out.flush();
            }
          };
        }
      };
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
      Socket socket = createSocket();
      socket.connect(new InetSocketAddress(address, port));
      return socket;
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
      return createSocket(host, port);
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
      return createSocket(host.getHostAddress(), port);
    }

    @Override
    public Socket createSocket(InetAddress host, int port, InetAddress localAddress, int localPort) throws IOException {
      return createSocket(host.getHostAddress(), port);
    }
  }

  /** What went wrong, as a refusal code and words naming the server; never the password or server's whole answer. */
  static AccountFailure failure(String protocol, MailSettings.Server server, MessagingException e) {
    String where = "the " + protocol + " server " + server.host() + ":" + server.port();
    if (e instanceof AuthenticationFailedException) {
      return new AccountFailure(AccountFailure.UNAUTHORIZED, where + " refused the username or password");
    }
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof SSLException) {
        return new AccountFailure(AccountFailure.TLS, "no secure connection to " + where + ": "
            + shortText(c.getMessage()));
      }
      if (c instanceof ConnectException || c instanceof SocketTimeoutException || c instanceof UnknownHostException
          || c instanceof NoRouteToHostException) {
        return new AccountFailure(AccountFailure.UNREACHABLE, "cannot reach " + where + " ("
            + c.getClass().getSimpleName() + ")");
      }
      if (c instanceof IOException) {
        return new AccountFailure(AccountFailure.UNREACHABLE, "the connection to " + where + " failed ("
            + c.getClass().getSimpleName() + ")");
      }
    }
    return new AccountFailure(AccountFailure.PROTOCOL, where + " answered: " + shortText(e.getMessage()));
  }

  private static String shortText(String text) {
    String clean = text == null ? "" : text.replaceAll("[\\p{Cntrl}]", " ").strip();
    return clean.length() > 200 ? clean.substring(0, 200) + "…" : clean;
  }

  // ---- reading -----------------------------------------------------------------------------------------------

  /** The unread mail of the INBOX, from correspondents first (then the rest), each newest first. */
  Summary unread(Login login, MailSettings s, int shown) {
    Counter counter = new Counter();
    try (Store store = imap(s, login.username(), login.password(), counter)) {
      Set<String> correspondents = correspondents(store);
      IMAPFolder inbox = (IMAPFolder) store.getFolder("INBOX");
      // STATUS before the INBOX is open: the count, without a SEARCH that lists every unread mail.
      int unread = inbox.getUnreadMessageCount();
      inbox.open(Folder.READ_ONLY);
      try {
        Message[] scanned = newest(inbox, new FlagTerm(new Flags(Flags.Flag.SEEN), false), SCANNED);
        List<Envelope> all = envelopes(login, inbox, scanned, correspondents);
        all.sort(RANKING);
        int known = (int) all.stream().filter(Envelope::correspondent).count();
        return new Summary(Math.max(unread, scanned.length), known,
            List.copyOf(all.subList(0, Math.min(shown, all.size()))), counter.flushes.get());
      } finally {
        inbox.close(false);
      }
    } catch (MessagingException e) {
      throw failure("IMAP", s.imap(), e);
    }
  }

  static final Comparator<Envelope> RANKING = Comparator.comparing(Envelope::correspondent).reversed()
      .thenComparing(Envelope::date, Comparator.nullsLast(Comparator.reverseOrder()));

  /**
   * The INBOX's mails matching: from (a name or address part) and every word in the subject or body; the newest
   * {@code limit}, newest first.
   */
  List<Envelope> search(Login login, MailSettings s, String from, List<String> words, int limit) {
    List<SearchTerm> terms = new ArrayList<>();
    if (from != null) {
      // HEADER From: a substring of the header on every server (GreenMail's FROM wants a whole address).
      terms.add(new HeaderTerm("From", from));
    }
    words.forEach(w -> terms.add(new OrTerm(new SubjectTerm(w), new BodyTerm(w))));
    SearchTerm term = terms.size() == 1 ? terms.get(0) : new AndTerm(terms.toArray(SearchTerm[]::new));
    try (Store store = imap(s, login.username(), login.password(), new Counter())) {
      Set<String> correspondents = correspondents(store);
      IMAPFolder inbox = (IMAPFolder) store.getFolder("INBOX");
      inbox.open(Folder.READ_ONLY);
      try {
        List<Envelope> out = envelopes(login, inbox, newest(inbox, term, limit), correspondents);
        out.sort(Comparator.comparing(Envelope::date, Comparator.nullsLast(Comparator.reverseOrder())));
        return out;
      } finally {
        inbox.close(false);
      }
    } catch (MessagingException e) {
      throw failure("IMAP", s.imap(), e);
    }
  }

  /** One mail of the INBOX by UID, its text read (at most {@link #MAX_TEXT_BYTES}); empty when it is gone. */
  java.util.Optional<Mail> read(Login login, MailSettings s, long uidValidity, long uid) {
    try (Store store = imap(s, login.username(), login.password(), new Counter())) {
      IMAPFolder inbox = (IMAPFolder) store.getFolder("INBOX");
      inbox.open(Folder.READ_ONLY);
      try {
        if (inbox.getUIDValidity() != uidValidity) {
          return java.util.Optional.empty();
        }
        Message m = inbox.getMessageByUID(uid);
        if (m == null || m.isExpunged()) {
          return java.util.Optional.empty();
        }
        Envelope envelope = envelopes(login, inbox, new Message[] {m}, Set.of()).get(0);
        boolean[] truncated = {false};
        String text = text(m, 0, truncated);
        return java.util.Optional.of(new Mail(envelope, addresses(m.getRecipients(Message.RecipientType.TO)),
            text == null ? "" : text, truncated[0], header(m, "Message-ID"), header(m, "References"),
            addresses(m.getReplyTo())));
      } finally {
        inbox.close(false);
      }
    } catch (MessagingException e) {
      throw failure("IMAP", s.imap(), e);
    } catch (IOException e) {
      throw new AccountFailure(AccountFailure.UNREACHABLE, "reading a mail from " + s.imap().host() + " failed ("
          + e.getClass().getSimpleName() + ")");
    }
  }

  /** Message numbers one SEARCH looks at first, from the newest back; each next window is twice as wide. */
  static final int FIRST_WINDOW = 2048;
  /** The widest window: the most numbers one SEARCH answer can hold, so memory stays bounded on any mailbox. */
  static final int MAX_WINDOW = 65_536;

  /**
   * The newest {@code limit} mails of the folder matching the term, oldest first. The folder is searched in windows of
   * message numbers from the newest back, and only the numbers found are kept: a million matching mails are never
   * listed or made into objects, only the {@code limit} wanted.
   */
  static Message[] newest(IMAPFolder folder, SearchTerm term, int limit) throws MessagingException {
    int[] found = new int[limit];
    int count = 0;
    int window = FIRST_WINDOW;
    for (int high = folder.getMessageCount(); high >= 1 && count < limit; window = Math.min(window * 2, MAX_WINDOW)) {
      int low = Math.max(1, high - window + 1);
      int[] numbers = windowSearch(folder, term, low, high);
      Arrays.sort(numbers);
      for (int i = numbers.length - 1; i >= 0 && count < limit; i--) {
        found[count++] = numbers[i];
      }
      high = low - 1;
    }
    Message[] out = new Message[count];
    for (int i = 0; i < count; i++) {
      out[count - 1 - i] = folder.getMessage(found[i]);
    }
    return out;
  }

  /** The numbers of the mails from {@code low} to {@code high} that match: SEARCH on the server where it can. */
  private static int[] windowSearch(IMAPFolder folder, SearchTerm term, int low, int high) throws MessagingException {
    MessageSet[] range = {new MessageSet(low, high)};
    int[] numbers = (int[]) folder.doCommand(protocol -> {
      try {
        return protocol.search(range, term);
      } catch (SearchException e) {
        return null;
      }
    });
    if (numbers != null) {
      return numbers;
    }
    // A term the server cannot search (Jakarta Mail matches it here, as Folder.search would): this window only.
    return Arrays.stream(folder.search(term, folder.getMessages(low, high))).mapToInt(Message::getMessageNumber)
        .toArray();
  }

  private List<Envelope> envelopes(Login login, IMAPFolder folder, Message[] messages, Set<String> correspondents)
      throws MessagingException {
    FetchProfile profile = new FetchProfile();
    profile.add(FetchProfile.Item.ENVELOPE);
    profile.add(FetchProfile.Item.FLAGS);
    profile.add(UIDFolder.FetchProfileItem.UID);
    folder.fetch(messages, profile);
    long validity = folder.getUIDValidity();
    List<Envelope> out = new ArrayList<>();
    for (Message m : messages) {
      long uid = folder.getUID(m);
      Address[] from = m.getFrom();
      String name = null;
      String address = null;
      if (from != null && from.length > 0 && from[0] instanceof InternetAddress ia) {
        name = ia.getPersonal();
        address = ia.getAddress() == null ? null : ia.getAddress().toLowerCase(Locale.ROOT);
      }
      Date date = m.getSentDate() != null ? m.getSentDate() : m.getReceivedDate();
      out.add(new Envelope(login.id() + "/" + validity + "/" + uid, uid, name, address, m.getSubject(),
          date == null ? null : date.toInstant(), address != null && correspondents.contains(address),
          !m.isSet(Flags.Flag.SEEN)));
    }
    return out;
  }

  /** The addresses the person has written to: the recipients of the newest mails in their Sent folder. */
  Set<String> correspondents(Store store) throws MessagingException {
    Set<String> out = new HashSet<>();
    Folder sent = sentFolder(store);
    if (sent == null) {
      return out;
    }
    sent.open(Folder.READ_ONLY);
    try {
      int count = sent.getMessageCount();
      if (count == 0) {
        return out;
      }
      Message[] newest = sent.getMessages(Math.max(1, count - SENT_SCANNED + 1), count);
      FetchProfile profile = new FetchProfile();
      profile.add(FetchProfile.Item.ENVELOPE);
      sent.fetch(newest, profile);
      for (Message m : newest) {
        // To, Cc and Bcc come with the envelope; getAllRecipients() would fetch each mail's Newsgroups header too.
        for (Message.RecipientType type : List.of(Message.RecipientType.TO, Message.RecipientType.CC,
            Message.RecipientType.BCC)) {
          Address[] to = m.getRecipients(type);
          for (Address a : to == null ? new Address[0] : to) {
            if (a instanceof InternetAddress ia && ia.getAddress() != null) {
              out.add(ia.getAddress().toLowerCase(Locale.ROOT));
            }
          }
        }
      }
      return out;
    } finally {
      sent.close(false);
    }
  }

  /** The Sent folder: the one the server marks \Sent (RFC 6154), else one of the usual names; null when none. */
  private static Folder sentFolder(Store store) throws MessagingException {
    for (Folder f : store.getDefaultFolder().list("*")) {
      if (f instanceof IMAPFolder imap && Arrays.stream(imap.getAttributes()).anyMatch("\\Sent"::equalsIgnoreCase)) {
        return f;
      }
    }
    for (String name : SENT_NAMES) {
      Folder f = store.getFolder(name);
      if (f.exists()) {
        return f;
      }
    }
    return null;
  }

  private static String header(Message m, String name) throws MessagingException {
    String[] values = m.getHeader(name);
    return values == null || values.length == 0 ? null : values[0].replaceAll("[\\r\\n]+\\s*", " ").strip();
  }

  private static String addresses(Address[] list) {
    if (list == null) {
      return "";
    }
    return String.join(", ", Arrays.stream(list).map(Address::toString).toList());
  }

  /** The readable text of a part: plain text preferred, HTML made text; attachments and nested mails left out. */
  private static String text(Part part, int depth, boolean[] truncated) throws MessagingException, IOException {
    if (depth > 8 || Part.ATTACHMENT.equalsIgnoreCase(part.getDisposition())) {
      return null;
    }
    if (part.isMimeType("text/plain")) {
      return readText(part, truncated);
    }
    if (part.isMimeType("text/html")) {
      return htmlText(readText(part, truncated));
    }
    if (part.isMimeType("multipart/*") && part.getContent() instanceof Multipart multi) {
      if (part.isMimeType("multipart/alternative")) {
        String html = null;
        for (int i = 0; i < multi.getCount(); i++) {
          Part p = multi.getBodyPart(i);
          if (p.isMimeType("text/plain")) {
            return readText(p, truncated);
          }
          if (html == null) {
            html = text(p, depth + 1, truncated);
          }
        }
        return html;
      }
      StringBuilder out = new StringBuilder();
      for (int i = 0; i < multi.getCount() && out.length() < MAX_TEXT_BYTES; i++) {
        String t = text(multi.getBodyPart(i), depth + 1, truncated);
        if (t != null && !t.isBlank()) {
          out.append(out.isEmpty() ? "" : "\n\n").append(t);
        }
      }
      return out.toString();
    }
    return null;
  }

  /** At most {@link #MAX_TEXT_BYTES} of the part, decoded in its charset (UTF-8 when it names none Java knows). */
  private static String readText(Part part, boolean[] truncated) throws MessagingException, IOException {
    Charset charset = StandardCharsets.UTF_8;
    try {
      String named = new ContentType(part.getContentType()).getParameter("charset");
      if (named != null) {
        charset = Charset.forName(MimeUtility.javaCharset(named));
      }
    } catch (RuntimeException | MessagingException e) {
      charset = StandardCharsets.UTF_8;
    }
    try (InputStream in = part.getInputStream()) {
      byte[] bytes = in.readNBytes(MAX_TEXT_BYTES);
      if (in.read() >= 0) {
        truncated[0] = true;
      }
      return new String(bytes, charset);
    }
  }

  /** HTML as the words a person would read: no scripts, styles or markup; paragraphs and breaks kept as lines. */
  static String htmlText(String html) {
    Document doc = Jsoup.parse(html);
    doc.select("script, style, head, template, noscript, iframe, object, svg").remove();
    doc.select("br").after("\n");
    doc.select("p, div, li, tr, h1, h2, h3, h4, h5, h6, blockquote").after("\n");
    String text = doc.body() == null ? "" : doc.body().wholeText();
    return text.replaceAll("[ \\t\\x0B\\f\\r]+", " ").replaceAll(" ?\\n ?", "\n").replaceAll("\\n{3,}", "\n\n").strip();
  }

  // ---- sending -----------------------------------------------------------------------------------------------

  /** Sends the mail over SMTP with its fixed Message-ID, then files a copy in the Sent folder (made if need be). */
  void send(Login login, MailSettings s, Outgoing mail) {
    MimeMessage message;
    Transport transport;
    try {
      transport = smtp(s, login.username(), login.password());
    } catch (MessagingException e) {
      throw failure("SMTP", s.smtp(), e);
    }
    try {
      message = message(Session.getInstance(new Properties()), mail);
      transport.sendMessage(message, message.getAllRecipients());
    } catch (MessagingException e) {
      closeQuietly(transport);
      throw failure("SMTP", s.smtp(), e);
    }
    // The server took the mail (250 after DATA): whatever QUIT meets now, the mail is sent and must not be sent again.
    closeQuietly(transport);
    try (Store store = imap(s, login.username(), login.password(), new Counter())) {
      Folder sent = sentFolder(store);
      if (sent == null) {
        sent = store.getFolder("Sent");
        sent.create(Folder.HOLDS_MESSAGES);
      }
      message.setFlags(new Flags(Flags.Flag.SEEN), true);
      sent.appendMessages(new Message[] {message});
    } catch (MessagingException e) {
      // Sent already; only the copy is missing, which must not make the person (or a retry) send it again.
      throw new CopyNotFiled(failure("IMAP", s.imap(), e).getMessage());
    }
  }

  private static void closeQuietly(Transport transport) {
    try {
      transport.close();
    } catch (MessagingException ignored) {
      // the connection is dropped either way
    }
  }

  /** The mail went out but its copy could not be put in the Sent folder. */
  static final class CopyNotFiled extends RuntimeException {
    CopyNotFiled(String message) {
      super(message, null, false, false);
    }
  }

  static MimeMessage message(Session session, Outgoing mail) throws MessagingException {
    MimeMessage message = new MimeMessage(session) {
      @Override
      protected void updateMessageID() throws MessagingException {
        setHeader("Message-ID", mail.messageId());
      }
    };
    message.setFrom(new InternetAddress(mail.from()));
    message.setRecipients(Message.RecipientType.TO, InternetAddress.parse(String.join(",", mail.to())));
    if (!mail.cc().isEmpty()) {
      message.setRecipients(Message.RecipientType.CC, InternetAddress.parse(String.join(",", mail.cc())));
    }
    message.setSubject(mail.subject(), "UTF-8");
    message.setText(mail.body(), "UTF-8");
    message.setSentDate(new Date());
    java.util.regex.Matcher parent = mail.inReplyTo() == null ? null : MESSAGE_ID.matcher(mail.inReplyTo());
    if (parent != null && parent.find()) {
      // Folded and trimmed: a long thread's References must not make a line of more than 998 characters.
      message.setHeader("In-Reply-To", parent.group());
      message.setHeader("References", MimeUtility.fold("References: ".length(),
          references(mail.references(), parent.group())));
    }
    message.saveChanges();
    return message;
  }

  /** A Message-ID as a reply may name it: one {@code <…>} of at most 250 characters, no space. */
  private static final Pattern MESSAGE_ID = Pattern.compile("<[^<>\\s]{1,248}>");
  /** Message-IDs a reply's References keeps: the thread's first and the newest (RFC 5322 3.6.4 allows trimming). */
  static final int REFERENCES_KEPT = 20;

  /**
   * The References of a reply: the original's ids (each a well-formed one), then the original's own, at most
   * {@link #REFERENCES_KEPT} — the first and the newest — separated by spaces, to be folded into lines.
   */
  static String references(String earlier, String inReplyTo) {
    List<String> ids = new ArrayList<>(trimmed(earlier));
    ids.remove(inReplyTo);
    ids.add(inReplyTo);
    return String.join(" ", trimmed(String.join(" ", ids)));
  }

  /** The well-formed ids of a References header, at most {@link #REFERENCES_KEPT}: the first and the newest. */
  static List<String> trimmed(String references) {
    java.util.LinkedHashSet<String> ids = new java.util.LinkedHashSet<>();
    if (references != null) {
      java.util.regex.Matcher m = MESSAGE_ID.matcher(references);
      while (m.find()) {
        ids.add(m.group());
      }
    }
    List<String> unique = List.copyOf(ids);
    if (unique.size() <= REFERENCES_KEPT) {
      return unique;
    }
    List<String> kept = new ArrayList<>();
    kept.add(unique.get(0));
    kept.addAll(unique.subList(unique.size() - REFERENCES_KEPT + 1, unique.size()));
    return kept;
  }

  /** The first well-formed Message-ID in a header's value, or null. */
  static String messageId(String value) {
    java.util.regex.Matcher m = value == null ? null : MESSAGE_ID.matcher(value);
    return m != null && m.find() ? m.group() : null;
  }

  // ---- polling -----------------------------------------------------------------------------------------------

  /**
   * New mail since {@code lastUid} under {@code uidValidity}: the unread ones from correspondents. Without a state,
   * or when the INBOX's UIDVALIDITY changed (its UIDs started over), it only notes where the INBOX stands now.
   */
  Poll poll(Login login, MailSettings s, Long uidValidity, Long lastUid) {
    try (Store store = imap(s, login.username(), login.password(), new Counter())) {
      IMAPFolder inbox = (IMAPFolder) store.getFolder("INBOX");
      inbox.open(Folder.READ_ONLY);
      try {
        long validity = inbox.getUIDValidity();
        if (uidValidity == null || lastUid == null || validity != uidValidity) {
          return new Poll(validity, highestUid(inbox), List.of(), true);
        }
        // UIDs rise with message numbers, so new mail is at the end: only the newest POLLED are asked about, however
        // many came (a UID FETCH of lastUid+1:* would list every one of a million).
        int count = inbox.getMessageCount();
        if (count == 0 || inbox.getUID(inbox.getMessage(count)) <= lastUid) {
          return new Poll(validity, lastUid, List.of(), false);
        }
        Message[] tail = inbox.getMessages(Math.max(1, count - POLLED + 1), count);
        FetchProfile uids = new FetchProfile();
        uids.add(UIDFolder.FetchProfileItem.UID);
        inbox.fetch(tail, uids);
        List<Message> newest = new ArrayList<>();
        for (Message m : tail) {
          if (inbox.getUID(m) > lastUid) {
            newest.add(m);
          }
        }
        Set<String> correspondents = correspondents(store);
        List<Envelope> envelopes = envelopes(login, inbox, newest.toArray(Message[]::new), correspondents);
        long highest = Math.max(lastUid, envelopes.stream().mapToLong(Envelope::uid).max().orElse(lastUid));
        return new Poll(validity, highest, envelopes.stream().filter(Envelope::unread).toList(), false);
      } finally {
        inbox.close(false);
      }
    } catch (MessagingException e) {
      throw failure("IMAP", s.imap(), e);
    }
  }

  private static long highestUid(IMAPFolder inbox) throws MessagingException {
    int count = inbox.getMessageCount();
    if (count == 0) {
      long next = inbox.getUIDNext();
      return next > 0 ? next - 1 : 0;
    }
    return inbox.getUID(inbox.getMessage(count));
  }
}

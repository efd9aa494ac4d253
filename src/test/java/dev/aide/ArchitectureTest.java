package dev.aide;

import static com.tngtech.archunit.base.DescribedPredicate.or;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.simpleNameEndingWith;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.simpleNameStartingWith;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import dev.aide.auth.Authenticated;
import dev.aide.auth.DeviceTokenCheck;
import dev.aide.auth.SessionCheck;
import dev.aide.channel.ChannelAdapter;
import dev.aide.channel.Ingress;
import dev.aide.channel.voice.VoiceChannel;
import dev.aide.channel.web.WebChannel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The shape docs/ARCHITECTURE.md describes, checked on the compiled classes: HTTP is an edge (routes, modules that
 * mount them, channel ingress and the handlers that guard routes), and nothing below it — services, repositories,
 * tools, domain types, errors — knows a request, a router or a status code.
 */
class ArchitectureTest {

  /** The classes that meet HTTP: the only ones allowed to know its types. */
  private static final DescribedPredicate<JavaClass> HTTP_EDGE = or(
      simpleNameEndingWith("Routes"),
      simpleNameEndingWith("Module"),
      resideInAnyPackage("dev.aide.http..", "dev.aide.platform.http..", "dev.aide.platform.module..",
          "dev.aide.platform.config.."),
      JavaClass.Predicates.belongToAnyOf(Aide.class, Authenticated.class, SessionCheck.class, DeviceTokenCheck.class, Ingress.class,
          ChannelAdapter.class, WebChannel.class, VoiceChannel.class),
      // Telegram's webhook receiver, package-private in its adapter.
      com.tngtech.archunit.core.domain.properties.HasName.Predicates.nameMatching("dev\\.aide\\.channel\\.telegram\\.TelegramWebhook(\\$.*)?").forSubtype(),
      // The SMS webhook receiver and the signed-form reader it shares with the status callback, package-private.
      com.tngtech.archunit.core.domain.properties.HasName.Predicates.nameMatching("dev\\.aide\\.channel\\.sms\\.(SmsWebhook|TwilioForm)(\\$.*)?").forSubtype())
      .as("are at the HTTP edge (routes, modules, channel ingress, route guards)");

  /** A server's HTTP types: routing, requests and responses, and Aide's own HTTP helpers. Clients are not among them. */
  private static final DescribedPredicate<JavaClass> HTTP_SERVER_TYPES = or(
      resideInAPackage("io.vertx.ext.web"),
      resideInAPackage("io.vertx.ext.web.handler.."),
      resideInAPackage("io.vertx.core.http").and(simpleNameStartingWith("HttpServer")),
      resideInAPackage("dev.aide.platform.http.."))
      .as("are HTTP server types (io.vertx.ext.web routing, HttpServer*, dev.aide.platform.http)");

  private static JavaClasses aide;

  @BeforeAll
  static void importClasses() {
    aide = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("dev.aide");
  }

  @Test
  @DisplayName("no HTTP type below the routes")
  void noHttpBelowTheRoutes() {
    ArchRule rule = noClasses().that(DescribedPredicate.not(HTTP_EDGE).as("are not at the HTTP edge"))
        .should().dependOnClassesThat(HTTP_SERVER_TYPES)
        .because("services, repositories and tools say what went wrong as a DomainException; each edge maps it once");
    rule.check(aide);
  }

  @Test
  @DisplayName("the domain errors know no edge: no Vert.x, no HTTP, no conversation, no channel")
  void errorsKnowNoEdge() {
    noClasses().that().resideInAPackage("dev.aide.platform.error..")
        .should().dependOnClassesThat().resideInAnyPackage("io.vertx..", "dev.aide.platform.http..",
            "dev.aide.conversation..", "dev.aide.channel..")
        .check(aide);
  }

  @Test
  @DisplayName("packages import each other without cycles: features point down or sideways, the platform at nothing")
  void noCycles() {
    slices().matching("dev.aide.(*)..").should().beFreeOfCycles().check(aide);
    noClasses().that().resideInAPackage("dev.aide.platform..").should().dependOnClassesThat()
        .resideOutsideOfPackages("dev.aide.platform..", "java..", "javax..", "io.vertx..", "io.netty..",
            "io.micrometer..", "org.slf4j..", "com.cronutils..", "org.dmfs..", "com.password4j..", "org.flywaydb..",
            "org.postgresql..", "com.fasterxml..", "com.google..", "net.fortuna..", "jakarta.mail..",
            // A feature's contribution to each turn's context is LangChain4j's retriever type (Feature.retrievers).
            "dev.langchain4j.rag..")
        .check(aide);
  }
}

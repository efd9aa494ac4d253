package dev.aide.channel.sms;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aide.support.Api;
import dev.aide.support.TwilioWebhooks;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * Twilio's side of one phone call in tests: it posts what Twilio posts (the call coming in, what a Gather heard, a
 * Redirect), signed, to the URLs Aide's TwiML names, and reads each answer with an XML parser as Twilio would.
 */
final class PhoneCaller {

  private final TwilioWebhooks webhooks;
  final String callSid;
  final String from;

  PhoneCaller(Api api, String from) {
    this(api, TwilioWebhooks.sid("CA"), from);
  }

  PhoneCaller(Api api, String callSid, String from) {
    this.webhooks = new TwilioWebhooks(api);
    this.callSid = callSid;
    this.from = from;
  }

  /** The call comes in. */
  Heard dial() {
    return Heard.of(webhooks.post(TwilioWebhooks.VOICE, TwilioWebhooks.call(callSid, from)));
  }

  /** The caller says this (null: nothing) to the Gather whose action is {@code actionUrl}. */
  Heard say(String actionUrl, String speech) {
    return Heard.of(webhooks.post(path(actionUrl), TwilioWebhooks.speech(callSid, from, speech)));
  }

  /** The same callback posted as it is, for a redelivery: {@code params} from {@link #speechParams}. */
  Heard post(String url, Map<String, String> params) {
    return Heard.of(webhooks.post(path(url), params));
  }

  Map<String, String> speechParams(String speech) {
    return TwilioWebhooks.speech(callSid, from, speech);
  }

  /** Twilio follows a Redirect: a POST of the call's parameters to its URL. */
  Heard follow(String redirectUrl) {
    Map<String, String> params = TwilioWebhooks.call(callSid, from);
    params.put("CallStatus", "in-progress");
    return Heard.of(webhooks.post(path(redirectUrl), params));
  }

  /** The path and query of one of Aide's absolute URLs, which must be on AIDE_PUBLIC_URL. */
  static String path(String url) {
    assertThat(url).startsWith(TwilioWebhooks.PUBLIC_URL + TwilioWebhooks.VOICE);
    return url.substring(TwilioWebhooks.PUBLIC_URL.length());
  }

  /** A TwiML answer, parsed. */
  record Heard(Api.Response response, Element root) {

    static Heard of(Api.Response response) {
      if (response.status() != 200) {
        return new Heard(response, null);
      }
      assertThat(response.header("content-type")).startsWith("text/xml");
      try {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        Document doc = factory.newDocumentBuilder()
            .parse(new ByteArrayInputStream(response.body().getBytes(StandardCharsets.UTF_8)));
        Element root = doc.getDocumentElement();
        assertThat(root.getTagName()).isEqualTo("Response");
        return new Heard(response, root);
      } catch (Exception e) {
        throw new AssertionError("not XML: " + response.body(), e);
      }
    }

    int status() {
      return response.status();
    }

    /** The verbs of the Response, in order. */
    List<String> verbs() {
      return names(parsed());
    }

    private Element parsed() {
      assertThat(root).as("TwiML expected: " + response).isNotNull();
      return root;
    }

    private static List<String> names(Element parent) {
      List<String> names = new ArrayList<>();
      for (Element child : children(parent)) {
        names.add(child.getTagName());
      }
      return names;
    }

    static List<Element> children(Element parent) {
      List<Element> elements = new ArrayList<>();
      NodeList nodes = parent.getChildNodes();
      for (int i = 0; i < nodes.getLength(); i++) {
        if (nodes.item(i).getNodeType() == Node.ELEMENT_NODE) {
          elements.add((Element) nodes.item(i));
        }
      }
      return elements;
    }

    /** The one Gather, checked: it listens for speech and posts to Aide; only Says inside. */
    Element gather() {
      List<Element> gathers = children(parsed()).stream().filter(e -> e.getTagName().equals("Gather")).toList();
      assertThat(gathers).as(response.body()).hasSize(1);
      Element gather = gathers.get(0);
      assertThat(gather.getAttribute("input")).isEqualTo("speech");
      assertThat(gather.getAttribute("method")).isEqualTo("POST");
      assertThat(gather.getAttribute("speechTimeout")).isEqualTo("auto");
      assertThat(gather.getAttribute("language")).isEqualTo("en-US");
      assertThat(gather.getAttribute("actionOnEmptyResult")).isEqualTo("true");
      assertThat(gather.getAttribute("action")).startsWith(TwilioWebhooks.PUBLIC_URL + TwilioWebhooks.VOICE + "/gather?n=");
      assertThat(names(gather)).containsOnly("Say");
      return gather;
    }

    /** The action of the one Gather. */
    String action() {
      return gather().getAttribute("action");
    }

    /** Everything said, in order, Says inside the Gather included. */
    String said() {
      NodeList says = parsed().getElementsByTagName("Say");
      List<String> texts = new ArrayList<>();
      for (int i = 0; i < says.getLength(); i++) {
        texts.add(says.item(i).getTextContent());
      }
      return String.join(" ", texts);
    }

    /** The Redirect's URL, checked to be a POST. */
    String redirect() {
      Element redirect = children(parsed()).stream().filter(e -> e.getTagName().equals("Redirect")).findFirst()
          .orElseThrow(() -> new AssertionError("no Redirect in " + response.body()));
      assertThat(redirect.getAttribute("method")).isEqualTo("POST");
      return redirect.getTextContent();
    }
  }
}

package dev.aide.conversation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class TurnGateTest {

  private static final ChatRequest ASK = ChatRequest.builder().messages(UserMessage.from("hi")).build();

  @Test
  @DisplayName("two places: a third turn waits until one ends, and waiting turns get their place in arrival order")
  void places() throws Exception {
    TurnGate gate = new TurnGate(2);
    CountDownLatch release = new CountDownLatch(1);
    List<String> started = new CopyOnWriteArrayList<>();
    CompletableFuture<Void> a = turn(gate, "a", started, release);
    CompletableFuture<Void> b = turn(gate, "b", started, release);
    await().atMost(Duration.ofSeconds(5)).until(() -> started.size() == 2);
    CompletableFuture<Void> c = turn(gate, "c", started, new CountDownLatch(0));
    await().atMost(Duration.ofSeconds(5)).until(() -> gate.counts()[1] == 1);
    CompletableFuture<Void> d = turn(gate, "d", started, new CountDownLatch(0));
    await().atMost(Duration.ofSeconds(5)).until(() -> gate.counts()[1] == 2);

    assertThat(started).containsExactlyInAnyOrder("a", "b");
    release.countDown();
    CompletableFuture.allOf(a, b, c, d).get(5, TimeUnit.SECONDS);

    assertThat(started.subList(2, 4)).containsExactly("c", "d");
    assertThat(gate.counts()).containsExactly(0, 0);
  }

  @Test
  @DisplayName("a turn waiting on a remote model gives its place to the next turn and takes one again for the rest; "
      + "a caller without a place (memory extraction) calls the model as it is")
  void aside() throws Exception {
    TurnGate gate = new TurnGate(1);
    CountDownLatch answer = new CountDownLatch(1);
    ChatModel model = gate.aside(answeringAfter(answer));
    List<String> order = new CopyOnWriteArrayList<>();

    CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> gate.through(() -> {
      order.add("first asks the model");
      String said = model.chat(ASK).aiMessage().text();
      order.add("first has its answer");
      return said;
    }), Thread::startVirtualThread);
    await().atMost(Duration.ofSeconds(5)).until(() -> order.size() == 1);
    CompletableFuture<Void> second = CompletableFuture.runAsync(() -> gate.through(() -> {
      order.add("second ran while the first waited");
      return null;
    }), Thread::startVirtualThread);
    second.get(5, TimeUnit.SECONDS);

    answer.countDown();
    assertThat(first.get(5, TimeUnit.SECONDS)).isEqualTo("ok");
    assertThat(order).containsExactly("first asks the model", "second ran while the first waited",
        "first has its answer");
    assertThat(gate.counts()).containsExactly(0, 0);

    assertThat(model.chat(ASK).aiMessage().text()).as("no place held, none taken").isEqualTo("ok");
    assertThat(gate.counts()).containsExactly(0, 0);
  }

  @Test
  @DisplayName("a turn back from the model is served before turns that have not begun")
  void returningFirst() throws Exception {
    TurnGate gate = new TurnGate(1);
    CountDownLatch answer = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    List<String> order = new CopyOnWriteArrayList<>();
    ChatModel model = gate.aside(answeringAfter(answer));
    CompletableFuture<Void> asking = CompletableFuture.runAsync(() -> gate.through(() -> {
      model.chat(ASK);
      order.add("back from the model");
      return null;
    }), Thread::startVirtualThread);
    await().atMost(Duration.ofSeconds(5)).until(() -> gate.counts()[0] == 0);
    CompletableFuture<Void> holder = turn(gate, "holder", order, release);
    await().atMost(Duration.ofSeconds(5)).until(() -> order.contains("holder"));
    CompletableFuture<Void> later = turn(gate, "new turn", order, new CountDownLatch(0));
    await().atMost(Duration.ofSeconds(5)).until(() -> gate.counts()[1] == 1);
    answer.countDown();
    await().atMost(Duration.ofSeconds(5)).until(() -> gate.counts()[1] == 2);

    release.countDown();
    CompletableFuture.allOf(asking, holder, later).get(5, TimeUnit.SECONDS);

    assertThat(order).containsExactly("holder", "back from the model", "new turn");
  }

  @Test
  @DisplayName("a turn that throws gives its place back")
  void failing() {
    TurnGate gate = new TurnGate(1);
    CompletableFuture<Object> failed = CompletableFuture.supplyAsync(() -> gate.through(() -> {
      throw new IllegalStateException("model refused");
    }), Thread::startVirtualThread);

    await().atMost(Duration.ofSeconds(5)).until(failed::isDone);
    assertThat(failed).isCompletedExceptionally();
    assertThat(gate.counts()).containsExactly(0, 0);
    assertThat(gate.through(() -> "next")).isEqualTo("next");
  }

  /** A model that answers "ok" once the latch is down. */
  private static ChatModel answeringAfter(CountDownLatch answer) {
    return new ChatModel() {
      @Override
      public ChatResponse doChat(ChatRequest request) {
        try {
          answer.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return ChatResponse.builder().aiMessage(AiMessage.from("ok")).build();
      }
    };
  }

  private static CompletableFuture<Void> turn(TurnGate gate, String name, List<String> started, CountDownLatch hold) {
    return CompletableFuture.runAsync(() -> gate.through(() -> {
      started.add(name);
      try {
        hold.await(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return null;
    }), Thread::startVirtualThread);
  }
}

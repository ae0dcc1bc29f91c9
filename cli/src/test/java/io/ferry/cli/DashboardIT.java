package io.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ferry.coordination.FerryClient;
import io.ferry.coordination.FerrySettings;
import io.ferry.coordination.ProcessSpec;
import io.ferry.coordination.ProcessState;
import io.ferry.coordination.ProcessStatus;
import io.ferry.coordination.Zk;
import io.ferry.web.Dashboard;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;

/**
 * The dashboard in a real headless browser (Debian's chromium and chromium-driver, which .ci/run installs) against a
 * local cluster in this JVM: it lists the nodes, shows a launched process RUNNING without a reload, moves it when
 * asked from the page and shows the new node within 2 s, shows a crash's LOST and the recovery elsewhere, shows the
 * CLI's error for an action that cannot be done, and its /metrics, read by the Prometheus text format's rules, count
 * the migration and the recovery.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardIT {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path DRIVER = Path.of("/usr/bin/chromedriver");
    private static final Duration WAIT = Duration.ofSeconds(60);

    LocalCluster cluster;
    LocalDashboard dashboard;
    CuratorFramework curator;
    FerryClient ferry;
    WebDriver browser;
    String pid;

    @BeforeAll
    void start(@TempDir Path dir) {
        boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER);
        if (!present && "true".equals(System.getenv("CI"))) {
            throw new AssertionError("No " + CHROMIUM + " or " + DRIVER + ": CI must install Debian's chromium and"
                    + " chromium-driver (.ci/run does)");
        }
        Assumptions.assumeTrue(present, "no chromium here: the dashboard's browser tests need it (apt-get install"
                + " chromium chromium-driver)");
        io.ferry.web.Prometheus.install();
        cluster = LocalCluster.start(FerrySettings.defaults(), new LocalCluster.Options(0, null, dir, 3, 2));
        dashboard = LocalDashboard.start(cluster, LocalCluster.Options.LOOPBACK, 0);
        curator = Zk.connect(cluster.settings(), Duration.ofSeconds(30));
        ferry = new FerryClient(curator, cluster.settings());
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,900");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
                .build();
        browser = new ChromeDriver(service, options);
        browser.get(dashboard.url());
    }

    @AfterAll
    void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (curator != null) {
            curator.close();
        }
        if (dashboard != null) {
            dashboard.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void listsTheNodes() {
        await().atMost(WAIT).untilAsserted(() -> assertThat(texts("#nodes tr[data-node] .id"))
                .containsExactlyInAnyOrderElementsOf(cluster.nodeIds()));
        assertThat(text("#live")).isEqualTo("live");
    }

    @Test
    @Order(2)
    void showsALaunchedProcessRunningWithoutAReload() {
        js("window.ferryTestMarker = 'same page'");
        pid = ferry.launch(ticker("ticks.txt"));
        await().atMost(WAIT).untilAsserted(() -> assertThat(text("tr[data-pid='" + pid + "'] .state"))
                .isEqualTo("RUNNING"));
        assertThat(js("return window.ferryTestMarker")).as("no reload").isEqualTo("same page");
        assertThat(text("tr[data-pid='" + pid + "'] .node")).isEqualTo(status(pid).node());
    }

    @Test
    @Order(3)
    void migratesFromThePageAndShowsTheNewNodeWithinTwoSeconds() throws Exception {
        double migrations = metric("ferry_migrations_total");
        browser.findElement(By.cssSelector("tr[data-pid='" + pid + "'] .pid a")).click();
        await().atMost(WAIT).untilAsserted(() -> assertThat(text("#p-state")).isEqualTo("RUNNING"));
        String from = status(pid).node();
        String to = cluster.nodeIds().stream().filter(n -> !n.equals(from)).findFirst().orElseThrow();
        new Select(browser.findElement(By.id("migrate-to"))).selectByValue(to);
        browser.findElement(By.cssSelector("button[data-action='migrate']")).click();

        await().atMost(WAIT).until(() -> status(pid).state() == ProcessState.RUNNING && to.equals(status(pid).node()));
        await().atMost(Duration.ofSeconds(2)).untilAsserted(() -> assertThat(text("#p-node")).isEqualTo(to));
        assertThat(text("#message")).isEqualTo("Migrating " + pid + " to " + to);
        await().atMost(WAIT).untilAsserted(() -> assertThat(metric("ferry_migrations_total"))
                .isGreaterThanOrEqualTo(migrations + 1)); // a step retried after a stale view counts again
        assertThat(metric("ferry_migration_duration_seconds_count")).isGreaterThanOrEqualTo(1);
    }

    @Test
    @Order(4)
    void showsACrashAsLostThenRunningElsewhere() throws Exception {
        double recoveries = metric("ferry_recoveries_total");
        String crashed = status(pid).node();
        cluster.kill(crashed);

        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(text("#p-state")).isEqualTo("RUNNING");
            assertThat(text("#p-node")).isNotEqualTo(crashed);
        });
        await().atMost(WAIT).untilAsserted(() -> assertThat(texts("#history li .state")).contains("LOST"));
        assertThat(metric("ferry_recoveries_total")).isGreaterThanOrEqualTo(recoveries + 1);
        await().atMost(WAIT).untilAsserted(() -> assertThat(metric("ferry_recovery_duration_seconds_count"))
                .isGreaterThanOrEqualTo(1));
        screenshot();
    }

    @Test
    @Order(5)
    void anActionThatCannotBeDoneShowsTheClisError() {
        ferry.terminate(pid);
        await().atMost(WAIT).untilAsserted(() -> assertThat(text("#p-state")).isEqualTo("TERMINATED"));
        browser.findElement(By.cssSelector("button[data-action='migrate']")).click();
        await().atMost(WAIT).untilAsserted(() -> assertThat(text("#error"))
                .isEqualTo("Cannot migrate " + pid + ": it is TERMINATED"));
    }

    @Test
    @Order(6)
    void aReadOnlyDashboardOffersNoActionsAndRefusesThem() throws Exception {
        try (Dashboard readOnly = Dashboard.start(curator, cluster.settings(), LocalCluster.Options.LOOPBACK, 0,
                "signed in as reader")) {
            browser.get(readOnly.url() + "#/processes/" + pid);
            await().atMost(WAIT).untilAsserted(() -> assertThat(text("#readonly")).contains("signed in as reader"));
            assertThat(browser.findElements(By.cssSelector("button[data-action]"))).allMatch(b -> !b.isEnabled());
            HttpResponse<String> refused = post(readOnly.url() + "api/processes/" + pid + "/suspend", true);
            assertThat(refused.statusCode()).isEqualTo(403);
            assertThat(refused.body()).contains("read-only: signed in as reader");
        }
        HttpResponse<String> noHeader = post(dashboard.url() + "api/processes/" + pid + "/suspend", false);
        assertThat(noHeader.statusCode()).as("a cross-site form cannot send the header").isEqualTo(403);
        URI at = URI.create(dashboard.url());
        try (java.net.Socket s = new java.net.Socket(at.getHost(), at.getPort())) {
            s.getOutputStream().write(("GET /api/state HTTP/1.1\r\nHost: rebound.example:" + at.getPort()
                    + "\r\nConnection: close\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            String status = new java.io.BufferedReader(new java.io.InputStreamReader(s.getInputStream(),
                    java.nio.charset.StandardCharsets.US_ASCII)).readLine();
            assertThat(status).as("a page whose name was re-pointed at 127.0.0.1").startsWith("HTTP/1.1 421");
        }
    }

    @Test
    @Order(7)
    void metricsFollowThePrometheusTextFormat() throws Exception {
        String body = get(dashboard.url() + "metrics");
        Map<String, PrometheusText.Family> families = PrometheusText.parse(body);
        assertThat(families).containsKeys("ferry_migrations_total", "ferry_recoveries_total", "ferry_placements_total",
                "ferry_checkpoints_total", "ferry_zk_request_duration_seconds", "ferry_processes",
                "ferry_scheduler_leader", "jvm_memory_used_bytes");
        assertThat(families.get("ferry_migration_duration_seconds").type()).isEqualTo("histogram");
        assertThat(families.get("ferry_migrations_total").type()).isEqualTo("counter");
    }

    private ProcessSpec ticker(String out) {
        return new ProcessSpec(null, Ticker.class.getName(), List.of("100000", out, "20"), List.of(), Map.of(), null,
                null, null, null);
    }

    private ProcessStatus status(String pid) {
        return ferry.describe(pid).status();
    }

    private String text(String css) {
        List<WebElement> found = browser.findElements(By.cssSelector(css));
        return found.isEmpty() ? null : found.get(0).getText().trim();
    }

    private List<String> texts(String css) {
        return browser.findElements(By.cssSelector(css)).stream().map(e -> e.getText().trim()).toList();
    }

    private Object js(String script) {
        return ((JavascriptExecutor) browser).executeScript(script);
    }

    /** The value of one unlabelled sample, or the sum of a family's samples named {@code name}. */
    private double metric(String name) throws Exception {
        return PrometheusText.sum(PrometheusText.parse(get(dashboard.url() + "metrics")), name);
    }

    private static String get(String url) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }

    private static HttpResponse<String> post(String url, boolean withHeader) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.noBody());
        if (withHeader) {
            b.header("X-Ferry-Action", "1");
        }
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The dashboard as it looks, for docs/ (target/dashboard.png). */
    private void screenshot() throws Exception {
        File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        browser.get(dashboard.url());
        await().atMost(WAIT).until(() -> !texts("#processes tr[data-pid]").isEmpty());
        File overview = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(overview.toPath(), Path.of("target", "dashboard.png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.copy(shot.toPath(), Path.of("target", "dashboard-process.png"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        browser.findElement(By.cssSelector("tr[data-pid='" + pid + "'] .pid a")).click();
        await().atMost(WAIT).untilAsserted(() -> assertThat(text("#p-state")).isEqualTo("RUNNING"));
    }
}

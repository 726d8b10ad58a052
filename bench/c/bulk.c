/*
 * bulk: the source and the sink of the proxy benchmark in one process, two threads.
 *
 *   bulk --sink-port S --connect HOST:PORT [--bytes N] [--check] [--chunk B] [--sink-bind ADDR]
 *
 * Listens on 127.0.0.1:S, or ADDR:S (the proxy's target), connects to HOST:PORT (the proxy), sends N bytes
 * (default 4 GiB; suffixes k, m, g = KiB, MiB, GiB) and then shutdown(SHUT_WR). The sink thread
 * accepts the proxy's connection, reads until EOF and counts, then closes, so the FIN travels
 * back through the proxy to the source, which waits for it. With --check the sink also compares
 * every byte with the pattern the source sent (byte at stream offset x is P[x mod 65521], 65521
 * xorshift bytes): corruption, loss, duplication and reordering all show.
 *
 * Prints one line:  bytes=N received=M seconds=T gbit_per_s=G checked=0|1
 * Exit status: 0 when M == N (and the check passed), 1 on usage or setup errors, 2 on a mismatch.
 * The clock runs from the connect to the sink's EOF. Bounded: one connection each way, two
 * buffers of --chunk bytes (default 256 KiB), the pattern.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define PATTERN_BYTES 65521u

static unsigned char *pattern; /* PATTERN_BYTES + chunk, so any offset has chunk contiguous bytes */
static size_t chunk = 256 * 1024;
static uint64_t total = 4ull << 30;
static int check;
static int listener = -1;

static uint64_t received;
static int mismatch;
static struct timespec sink_done;

static void die(const char *what)
{
	fprintf(stderr, "bulk: %s: %s\n", what, strerror(errno));
	exit(1);
}

static uint64_t parse_size(const char *s)
{
	char *end;
	unsigned long long v = strtoull(s, &end, 10);
	switch (*end) {
	case 'k': case 'K': v <<= 10; end++; break;
	case 'm': case 'M': v <<= 20; end++; break;
	case 'g': case 'G': v <<= 30; end++; break;
	}
	if (*end != 0 || v == 0) {
		fprintf(stderr, "bulk: bad size %s\n", s);
		exit(1);
	}
	return v;
}

static double seconds_between(struct timespec a, struct timespec b)
{
	return (double) (b.tv_sec - a.tv_sec) + (double) (b.tv_nsec - a.tv_nsec) / 1e9;
}

static void *sink(void *arg)
{
	(void) arg;
	int fd = accept(listener, NULL, NULL);
	if (fd < 0) die("accept");
	unsigned char *buf = malloc(chunk);
	if (!buf) die("malloc");
	for (;;) {
		ssize_t n = recv(fd, buf, chunk, 0);
		if (n < 0) {
			if (errno == EINTR) continue;
			die("recv at the sink");
		}
		if (n == 0) break;
		if (check && !mismatch) {
			/* The pattern is periodic: compare in pieces that do not cross its end. */
			size_t at = 0;
			while (at < (size_t) n) {
				size_t off = (size_t) ((received + at) % PATTERN_BYTES);
				size_t len = (size_t) n - at;
				if (len > PATTERN_BYTES - off) len = PATTERN_BYTES - off;
				if (memcmp(buf + at, pattern + off, len) != 0) {
					size_t i = 0;
					while (buf[at + i] == pattern[off + i]) i++;
					fprintf(stderr, "bulk: BYTE MISMATCH at stream offset %llu: expected 0x%02x, got 0x%02x\n",
						(unsigned long long) (received + at + i), pattern[off + i], buf[at + i]);
					mismatch = 1;
					break;
				}
				at += len;
			}
		}
		received += (uint64_t) n;
	}
	clock_gettime(CLOCK_MONOTONIC, &sink_done);
	close(fd);
	free(buf);
	return NULL;
}

int main(int argc, char **argv)
{
	int sink_port = 0;
	const char *target = NULL;
	const char *sink_bind = "127.0.0.1";
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--sink-port") && i + 1 < argc) sink_port = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--connect") && i + 1 < argc) target = argv[++i];
		else if (!strcmp(argv[i], "--bytes") && i + 1 < argc) total = parse_size(argv[++i]);
		else if (!strcmp(argv[i], "--chunk") && i + 1 < argc) chunk = parse_size(argv[++i]);
		else if (!strcmp(argv[i], "--check")) check = 1;
		else if (!strcmp(argv[i], "--sink-bind") && i + 1 < argc) sink_bind = argv[++i];
		else {
			fprintf(stderr, "usage: bulk --sink-port S --connect HOST:PORT [--bytes N[k|m|g]] [--check] [--chunk B] [--sink-bind ADDR]\n");
			return 1;
		}
	}
	if (sink_port <= 0 || !target || chunk > (64u << 20)) {
		fprintf(stderr, "usage: bulk --sink-port S --connect HOST:PORT [--bytes N[k|m|g]] [--check] [--chunk B<=64m]\n");
		return 1;
	}

	pattern = malloc(PATTERN_BYTES + chunk);
	if (!pattern) die("malloc");
	uint32_t x = 2463534242u;
	for (size_t i = 0; i < PATTERN_BYTES; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		pattern[i] = (unsigned char) x;
	}
	for (size_t i = 0; i < chunk; i++) pattern[PATTERN_BYTES + i] = pattern[i % PATTERN_BYTES];

	listener = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (listener < 0) die("socket");
	int one = 1;
	setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t) sink_port)};
	if (inet_pton(AF_INET, sink_bind, &sa.sin_addr) != 1) {
		fprintf(stderr, "bulk: --sink-bind wants an IPv4 address, got %s\n", sink_bind);
		return 1;
	}
	if (bind(listener, (struct sockaddr *) &sa, sizeof sa) < 0) die("bind the sink port");
	if (listen(listener, 16) < 0) die("listen");

	char host[256];
	const char *colon = strrchr(target, ':');
	if (!colon || (size_t) (colon - target) >= sizeof host) {
		fprintf(stderr, "bulk: --connect wants HOST:PORT\n");
		return 1;
	}
	memcpy(host, target, (size_t) (colon - target));
	host[colon - target] = 0;
	struct addrinfo hints = {.ai_family = AF_INET, .ai_socktype = SOCK_STREAM}, *ai;
	if (getaddrinfo(host, colon + 1, &hints, &ai) != 0) {
		fprintf(stderr, "bulk: cannot resolve %s\n", target);
		return 1;
	}

	pthread_t t;
	if (pthread_create(&t, NULL, sink, NULL) != 0) die("pthread_create");

	struct timespec start;
	clock_gettime(CLOCK_MONOTONIC, &start);
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) die("socket");
	if (connect(fd, ai->ai_addr, ai->ai_addrlen) < 0) die("connect to the proxy");
	freeaddrinfo(ai);

	uint64_t sent = 0;
	while (sent < total) {
		size_t len = chunk;
		if (total - sent < len) len = (size_t) (total - sent);
		ssize_t n = send(fd, pattern + sent % PATTERN_BYTES, len, MSG_NOSIGNAL);
		if (n < 0) {
			if (errno == EINTR) continue;
			die("send to the proxy");
		}
		sent += (uint64_t) n;
	}
	if (shutdown(fd, SHUT_WR) < 0) die("shutdown");
	/* The sink closes after EOF; the proxy passes that on. Wait for it so the proxy has finished. */
	char b[4096];
	for (;;) {
		ssize_t n = recv(fd, b, sizeof b, 0);
		if (n > 0) {
			fprintf(stderr, "bulk: the proxy sent %zd unexpected bytes back\n", n);
			mismatch = 1;
			continue;
		}
		if (n == 0) break;
		if (errno == EINTR) continue;
		if (errno == ECONNRESET) break;
		die("recv at the source");
	}
	close(fd);
	pthread_join(t, NULL);

	double secs = seconds_between(start, sink_done);
	printf("bytes=%llu received=%llu seconds=%.3f gbit_per_s=%.3f checked=%d\n", (unsigned long long) total,
	       (unsigned long long) received, secs, (double) received * 8 / secs / 1e9, check);
	fflush(stdout);
	if (received != total) {
		fprintf(stderr, "bulk: sent %llu bytes, the sink got %llu\n", (unsigned long long) total, (unsigned long long) received);
		return 2;
	}
	return mismatch ? 2 : 0;
}

/*
 * The oracle for SqeEncoderTest: prints the 64 bytes that liburing's io_uring_prep_* helpers
 * write for each request Sluice makes, one line per case: "<name> <128 hex digits>".
 * Pointers are fixed fake addresses; nothing is submitted. Build: gcc -o sqe_oracle sqe_oracle.c
 * (the helpers are static inline in liburing.h; no -luring needed).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <liburing.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#define UD 0xa1b2c3d4e5f60718ULL

static void dump(const char *name, const struct io_uring_sqe *sqe)
{
	const unsigned char *b = (const unsigned char *) sqe;
	printf("%s ", name);
	for (size_t i = 0; i < sizeof(*sqe); i++)
		printf("%02x", b[i]);
	printf("\n");
}

#define CASE(name, prep)                                   \
	do {                                               \
		struct io_uring_sqe sqe;                   \
		memset(&sqe, 0, sizeof(sqe));              \
		prep;                                      \
		io_uring_sqe_set_data64(&sqe, UD);         \
		dump(name, &sqe);                          \
	} while (0)

int main(void)
{
	_Static_assert(sizeof(struct io_uring_sqe) == 64, "sqe size");
	CASE("nop", io_uring_prep_nop(&sqe));
	CASE("accept", io_uring_prep_accept(&sqe, 7, NULL, NULL, SOCK_CLOEXEC));
	CASE("accept_addr", io_uring_prep_accept(&sqe, 7, (struct sockaddr *) 0x1000, (socklen_t *) 0x2000, SOCK_CLOEXEC));
	CASE("connect", io_uring_prep_connect(&sqe, 7, (const struct sockaddr *) 0x1000, 16));
	CASE("connect6", io_uring_prep_connect(&sqe, 8, (const struct sockaddr *) 0x7fff12345678, 28));
	CASE("send", io_uring_prep_send(&sqe, 7, (const void *) 0x1000, 4096, MSG_NOSIGNAL));
	CASE("recv", io_uring_prep_recv(&sqe, 7, (void *) 0x1000, 4096, 0));
	CASE("recv_linked", { io_uring_prep_recv(&sqe, 7, (void *) 0x1000, 4096, 0); sqe.flags |= IOSQE_IO_LINK; });
	CASE("sendmsg", io_uring_prep_sendmsg(&sqe, 7, (const struct msghdr *) 0x3000, MSG_NOSIGNAL));
	CASE("recvmsg", io_uring_prep_recvmsg(&sqe, 7, (struct msghdr *) 0x3000, MSG_CMSG_CLOEXEC));
	CASE("timeout", io_uring_prep_timeout(&sqe, (struct __kernel_timespec *) 0x4000, 0, 0));
	CASE("link_timeout", io_uring_prep_link_timeout(&sqe, (struct __kernel_timespec *) 0x4010, 0));
	CASE("cancel64", io_uring_prep_cancel64(&sqe, 0x0102030405060708ULL, 0));
	CASE("cancel_fd_all", io_uring_prep_cancel_fd(&sqe, 7, IORING_ASYNC_CANCEL_ALL));
	CASE("cancel_any_all", io_uring_prep_cancel64(&sqe, 0, IORING_ASYNC_CANCEL_ANY | IORING_ASYNC_CANCEL_ALL));
	CASE("shutdown", io_uring_prep_shutdown(&sqe, 7, SHUT_WR));
	CASE("read_eventfd", io_uring_prep_read(&sqe, 9, (void *) 0x5000, 8, 0));
	CASE("splice_socket_to_pipe", io_uring_prep_splice(&sqe, 7, -1, 11, -1, 262144, SPLICE_F_MOVE));
	CASE("splice_pipe_to_socket", io_uring_prep_splice(&sqe, 10, -1, 7, -1, 65536, SPLICE_F_MOVE));
	CASE("poll_add_in", io_uring_prep_poll_add(&sqe, 7, POLLIN));
	CASE("accept_multishot", io_uring_prep_multishot_accept(&sqe, 7, NULL, NULL, SOCK_CLOEXEC));
	CASE("recv_multishot", {
		io_uring_prep_recv_multishot(&sqe, 7, NULL, 0, 0);
		sqe.flags |= IOSQE_BUFFER_SELECT;
		sqe.buf_group = 5;
	});
	/* Registered files: the index goes in fd, and IOSQE_FIXED_FILE is set. */
	CASE("accept_fixed", { io_uring_prep_accept(&sqe, 3, NULL, NULL, SOCK_CLOEXEC); sqe.flags |= IOSQE_FIXED_FILE; });
	CASE("connect_fixed", { io_uring_prep_connect(&sqe, 3, (const struct sockaddr *) 0x1000, 16); sqe.flags |= IOSQE_FIXED_FILE; });
	CASE("send_fixed", { io_uring_prep_send(&sqe, 3, (const void *) 0x1000, 4096, MSG_NOSIGNAL); sqe.flags |= IOSQE_FIXED_FILE; });
	CASE("recv_fixed", { io_uring_prep_recv(&sqe, 4095, (void *) 0x1000, 4096, 0); sqe.flags |= IOSQE_FIXED_FILE; });
	CASE("recv_fixed_linked", { io_uring_prep_recv(&sqe, 3, (void *) 0x1000, 4096, 0); sqe.flags |= IOSQE_FIXED_FILE | IOSQE_IO_LINK; });
	CASE("sendmsg_fixed", { io_uring_prep_sendmsg(&sqe, 3, (const struct msghdr *) 0x3000, MSG_NOSIGNAL); sqe.flags |= IOSQE_FIXED_FILE; });
	CASE("recvmsg_fixed", { io_uring_prep_recvmsg(&sqe, 3, (struct msghdr *) 0x3000, MSG_CMSG_CLOEXEC); sqe.flags |= IOSQE_FIXED_FILE; });
	CASE("shutdown_fixed", { io_uring_prep_shutdown(&sqe, 3, SHUT_WR); sqe.flags |= IOSQE_FIXED_FILE; });
	return 0;
}

// LD_PRELOAD library that answers the RTM_GETQDISC dump a program sends with the netlink
// messages of $NLREPLAY_FILE (raw nlmsghdr-prefixed messages, see pcap2nl.py), sequence number
// and port id patched; everything else goes to the C library. Used to run an unmodified tc on
// the bytes of a synthesised capture (captures/README.md).
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

static int replay_fd = -1, stage = 0;
static unsigned seq;
static unsigned char *data; static size_t data_len;

static void load(void) {
	const char *p = getenv("NLREPLAY_FILE");
	FILE *f = p ? fopen(p, "rb") : NULL;
	if (!f) { perror("NLREPLAY_FILE"); exit(99); }
	data = malloc(1 << 24);
	data_len = fread(data, 1, 1 << 24, f);
	fclose(f);
}

static void note(int fd, const void *buf, size_t len) {
	const struct nlmsghdr *h = buf;
	if (len >= sizeof(*h) && h->nlmsg_type == RTM_GETQDISC && (h->nlmsg_flags & NLM_F_DUMP)) {
		replay_fd = fd; stage = 0; seq = h->nlmsg_seq;
		if (!data) load();
	}
}

ssize_t send(int fd, const void *buf, size_t len, int flags) {
	static ssize_t (*real)(int, const void *, size_t, int);
	if (!real) real = dlsym(RTLD_NEXT, "send");
	note(fd, buf, len);
	return real(fd, buf, len, flags);
}
ssize_t sendto(int fd, const void *buf, size_t len, int flags, const struct sockaddr *a, socklen_t al) {
	static ssize_t (*real)(int, const void *, size_t, int, const struct sockaddr *, socklen_t);
	if (!real) real = dlsym(RTLD_NEXT, "sendto");
	note(fd, buf, len);
	return real(fd, buf, len, flags, a, al);
}
ssize_t sendmsg(int fd, const struct msghdr *m, int flags) {
	static ssize_t (*real)(int, const struct msghdr *, int);
	if (!real) real = dlsym(RTLD_NEXT, "sendmsg");
	if (m->msg_iovlen > 0) note(fd, m->msg_iov[0].iov_base, m->msg_iov[0].iov_len);
	return real(fd, m, flags);
}

static unsigned local_pid(int fd) {
	struct sockaddr_nl a; socklen_t l = sizeof(a);
	memset(&a, 0, sizeof(a));
	getsockname(fd, (struct sockaddr *)&a, &l);
	return a.nl_pid;
}

ssize_t recvmsg(int fd, struct msghdr *m, int flags) {
	static ssize_t (*real)(int, struct msghdr *, int);
	if (!real) real = dlsym(RTLD_NEXT, "recvmsg");
	if (fd != replay_fd || stage > 1) return real(fd, m, flags);
	static unsigned char out[1 << 24];
	size_t n = 0;
	if (stage == 0) {
		memcpy(out, data, data_len); n = data_len;
	} else {
		struct nlmsghdr d = { .nlmsg_len = NLMSG_LENGTH(4), .nlmsg_type = NLMSG_DONE,
				      .nlmsg_flags = NLM_F_MULTI };
		memcpy(out, &d, sizeof(d)); memset(out + sizeof(d), 0, 4); n = NLMSG_LENGTH(4);
	}
	unsigned pid = local_pid(fd);
	for (size_t at = 0; at + sizeof(struct nlmsghdr) <= n;) {
		struct nlmsghdr *h = (struct nlmsghdr *)(out + at);
		if (h->nlmsg_len < sizeof(*h)) break;
		h->nlmsg_seq = seq; h->nlmsg_pid = pid; h->nlmsg_flags |= NLM_F_MULTI;
		at += NLMSG_ALIGN(h->nlmsg_len);
	}
	if (m->msg_name && m->msg_namelen >= sizeof(struct sockaddr_nl)) {
		struct sockaddr_nl *a = m->msg_name;
		memset(a, 0, sizeof(*a)); a->nl_family = AF_NETLINK;
		m->msg_namelen = sizeof(*a);
	}
	size_t copied = 0;
	for (size_t i = 0; i < m->msg_iovlen && copied < n; i++) {
		size_t c = m->msg_iov[i].iov_len < n - copied ? m->msg_iov[i].iov_len : n - copied;
		memcpy(m->msg_iov[i].iov_base, out + copied, c); copied += c;
	}
	m->msg_flags = copied < n ? MSG_TRUNC : 0;
	if (!(flags & MSG_PEEK)) stage++;
	return (flags & MSG_TRUNC) ? (ssize_t)n : (ssize_t)copied;
}

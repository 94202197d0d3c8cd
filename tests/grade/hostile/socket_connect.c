/* socket_connect - connects to a server on localhost from mm_init.
 * Verdict: forbidden system call (socket). */
#include <arpa/inet.h>
#include <sys/socket.h>
#include <unistd.h>
static void phone_home(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(7) };
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connect(fd, (struct sockaddr *)&a, sizeof a);
    close(fd);
}
#define ON_INIT() phone_home()

/* jextract input for linux_seccomp_h: seccomp constants plus the AUDIT_ARCH_* values seccomp_data.arch holds. */
#include <linux/seccomp.h>
#include <linux/audit.h>

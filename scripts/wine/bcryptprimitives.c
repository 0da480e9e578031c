/*
 * bcryptprimitives.c is a stand-in for Windows' bcryptprimitives.dll, used
 * only by scripts/wine-test.sh: Go 1.24 and later call ProcessPrng from it
 * for crypto/rand, and Wine 8 (Debian 12) does not have that function yet.
 * It forwards to advapi32's SystemFunction036 (RtlGenRandom), which Wine
 * does implement. It is never shipped; real Windows has the real DLL.
 *
 * Build: x86_64-w64-mingw32-gcc -shared -O2 -o bcryptprimitives.dll \
 *        bcryptprimitives.c bcryptprimitives.def -ladvapi32
 */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

/* ProcessPrng fills data with len random bytes and returns TRUE; the real
 * one never fails, and Go treats FALSE as fatal. RtlGenRandom takes a
 * ULONG, so a larger request is filled in pieces. */
BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len)
{
	while (len > 0) {
		ULONG n = len > 0x7fffffff ? 0x7fffffff : (ULONG)len;
		if (!SystemFunction036(data, n))
			return FALSE;
		data += n;
		len -= n;
	}
	return TRUE;
}

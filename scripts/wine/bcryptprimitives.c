/* ProcessPrng for Wine 8, which has no bcryptprimitives.dll: Rust's standard library asks it for
   random bytes at start. Forwards to advapi32's SystemFunction036 (RtlGenRandom), in chunks
   because that takes a 32-bit length. For running the tests under Wine only; Windows 10 and 11
   have their own. */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length)
{
    while (length > 0) {
        ULONG chunk = length > 0x10000000 ? 0x10000000 : (ULONG)length;
        if (!SystemFunction036(data, chunk))
            return FALSE;
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}

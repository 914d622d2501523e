/*
 * main.c - tegami-web (placeholder until the web core lands).
 */
int
main(void)
{
	return 1;
}

/*
 * main.c - tegami-sender (placeholder until the delivery engine lands).
 */
int
main(void)
{
	return 1;
}

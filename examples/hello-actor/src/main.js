import { Actor } from 'apify';

await Actor.init();

const { names = [], greeting = 'Hello', signature = '', repeat = 1, shout = false, extra = {} } =
    (await Actor.getInput()) ?? {};

let count = 0;
for (const name of names) {
    for (let i = 0; i < repeat; i++) {
        let text = `${greeting}, ${name}!${signature ? ` ${signature}` : ''}`;
        if (shout) text = text.toUpperCase();
        await Actor.pushData({ name, greeting: text, letters: name.length, extra });
        count++;
        await Actor.setStatusMessage(`Greeted ${count} of ${names.length * repeat}`);
    }
}

await Actor.setValue('SUMMARY', { greeted: count });
await Actor.exit(`Greeted ${count} time(s)`);
